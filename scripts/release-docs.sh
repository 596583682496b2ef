#!/usr/bin/env bash
# release-docs.sh DIR: the man pages (DIR/manpages, gzipped) and shell completions
# (DIR/completions) that release archives and packages ship, printed by otpdoctor itself:
# a build of this tree for this machine, with -tags docgen for its hidden gen-man (the
# shipped binaries leave the man page generator out). GoReleaser runs it before building.
# SOURCE_DATE_EPOCH, when set, dates the man pages (the release sets the commit's time).
set -euo pipefail
out=${1:?usage: scripts/release-docs.sh DIR}
GO=${GO:-go}

rm -rf "$out"
mkdir -p "$out/manpages" "$out/completions"
CGO_ENABLED=0 "$GO" build -tags docgen -o "$out/otpdoctor" ./cmd/otpdoctor
"$out/otpdoctor" gen-man "$out/manpages"
gzip -9 --no-name "$out"/manpages/*.1
for shell_ext in bash:bash zsh:zsh fish:fish powershell:ps1; do
  "$out/otpdoctor" completion "${shell_ext%:*}" >"$out/completions/otpdoctor.${shell_ext#*:}"
done
rm "$out/otpdoctor"
