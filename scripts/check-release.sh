#!/usr/bin/env bash
# check-release.sh [DIST]: checks what `goreleaser release` left in DIST (default dist)
# as a user would receive it: every archive holds the binary, LICENSE, README, the man
# pages and the completions; checksums.txt matches; the .deb and .rpm install them at
# the usual paths; the Linux binary of this machine's architecture is static, says its
# version, and prints the very completions its archive ships. `make release-snapshot`
# runs it. Needs tar, unzip, sha256sum and dpkg-deb (rpm2cpio and cpio for the .rpm,
# checked when present).
set -euo pipefail
dist=${1:-dist}
fail=0
problem() { echo "check-release: $*" >&2; fail=1; }

# What every archive and package must hold (man pages: one per command, here the root's
# and check's stand for them).
archive_files=(LICENSE README.md manpages/otpdoctor.1.gz manpages/otpdoctor-check.1.gz
  completions/otpdoctor.bash completions/otpdoctor.zsh completions/otpdoctor.fish completions/otpdoctor.ps1)
deb_files=(usr/bin/otpdoctor usr/share/man/man1/otpdoctor.1.gz usr/share/man/man1/otpdoctor-check.1.gz
  usr/share/bash-completion/completions/otpdoctor usr/share/zsh/vendor-completions/_otpdoctor
  usr/share/fish/vendor_completions.d/otpdoctor.fish usr/share/doc/otpdoctor/copyright)
rpm_files=(usr/bin/otpdoctor usr/share/man/man1/otpdoctor.1.gz usr/share/man/man1/otpdoctor-check.1.gz
  usr/share/bash-completion/completions/otpdoctor usr/share/zsh/site-functions/_otpdoctor
  usr/share/fish/vendor_completions.d/otpdoctor.fish usr/share/licenses/otpdoctor/LICENSE)

# has LISTING NAME...: every NAME is a line of LISTING (leading ./ and one wrapping
# directory already stripped).
has() {
  local what=$1 listing=$2
  shift 2
  for name in "$@"; do
    grep -qxF "$name" <<<"$listing" || problem "$what lacks $name"
  done
}

# Archives wrap their files in one directory named after the archive.
archives=("$dist"/*.tar.gz "$dist"/*.zip)
[ -e "${archives[0]}" ] || { echo "check-release: no archives in $dist" >&2; exit 1; }
for archive in "${archives[@]}"; do
  [ -e "$archive" ] || continue
  case $archive in
  *.tar.gz) listing=$(tar -tzf "$archive") ;;
  *.zip) listing=$(unzip -Z1 "$archive") ;;
  esac
  listing=$(sed -e 's|^\./||' -e 's|^[^/]*/||' <<<"$listing")
  binary=otpdoctor
  [[ $archive == *windows* ]] && binary=otpdoctor.exe
  has "$(basename "$archive")" "$listing" "$binary" "${archive_files[@]}"
done

(cd "$dist" && sha256sum --quiet --check checksums.txt) || problem "checksums.txt does not match the artifacts"
for artifact in "${archives[@]}" "$dist"/*.deb "$dist"/*.rpm; do
  grep -q " $(basename "$artifact")\$" "$dist/checksums.txt" || problem "checksums.txt lacks $(basename "$artifact")"
done

debs=("$dist"/*.deb)
[ -e "${debs[0]}" ] || problem "no .deb in $dist"
for deb in "${debs[@]}"; do
  [ -e "$deb" ] || continue
  has "$(basename "$deb")" "$(dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./||')" "${deb_files[@]}"
done
rpms=("$dist"/*.rpm)
[ -e "${rpms[0]}" ] || problem "no .rpm in $dist"
if command -v rpm2cpio >/dev/null && command -v cpio >/dev/null; then
  for rpm in "${rpms[@]}"; do
    [ -e "$rpm" ] || continue
    has "$(basename "$rpm")" "$(rpm2cpio "$rpm" | cpio --list --quiet | sed -E 's|^\.?/||')" "${rpm_files[@]}"
  done
else
  echo "check-release: no rpm2cpio/cpio here: the .rpm's contents are not checked"
fi

for generated in "$dist"/homebrew/Formula/otpdoctor.rb "$dist"/scoop/otpdoctor.json; do
  [ -s "$generated" ] || problem "$generated was not generated"
done

# The archive of this machine, unpacked and run.
if [ "$(uname -s)" = Linux ]; then
  case $(uname -m) in
  x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch= ;;
  esac
  archive=$(ls "$dist"/otpdoctor_*_linux_"$arch".tar.gz 2>/dev/null | head -n 1 || true)
  if [ -n "$arch" ] && [ -n "$archive" ]; then
    unpacked=$(mktemp -d)
    trap 'rm -rf "$unpacked"' EXIT
    tar -xzf "$archive" -C "$unpacked" --strip-components=1
    bin=$unpacked/otpdoctor
    go version -m "$bin" | grep -qx $'\tbuild\tCGO_ENABLED=0' || problem "$archive: the binary is not a static (CGO_ENABLED=0) build"
    version=$("$bin" version --format json | sed -n 's/^  "version": "\(.*\)",$/\1/p')
    case $version in
    "" | devel) problem "$archive: otpdoctor version says '${version}', not the release's version" ;;
    esac
    for shell_ext in bash:bash zsh:zsh fish:fish powershell:ps1; do
      "$bin" completion "${shell_ext%:*}" | cmp -s - "$unpacked/completions/otpdoctor.${shell_ext#*:}" ||
        problem "$archive: completions/otpdoctor.${shell_ext#*:} is not what its otpdoctor prints"
    done
    zcat "$unpacked/manpages/otpdoctor-check.1.gz" | grep -q -- '--offline' ||
      problem "$archive: the check man page does not document --offline"
  else
    echo "check-release: no Linux archive for $(uname -m): nothing run"
  fi
fi

if [ "$fail" -ne 0 ]; then
  exit 1
fi
echo "check-release: $(ls "${archives[@]}" "${debs[@]}" "${rpms[@]}" | wc -l) archives and packages hold what they must"
