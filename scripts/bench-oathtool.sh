#!/bin/sh
# Times `otpdoctor match` against `oathtool -w` over the same window of TOTP steps (SHA1,
# 8 digits, a code that matches nowhere, so both search the whole window) and prints
# the ratio. Skips cleanly when oathtool (Debian package oathtool) is not installed.
#
#   STEPS=1000000 scripts/bench-oathtool.sh     # steps either side (default 1,000,000)
set -eu

if ! command -v oathtool >/dev/null 2>&1; then
	echo "bench-oathtool: oathtool is not installed (apt-get install oathtool): skipping the comparison"
	exit 0
fi

GO=${GO:-go}
STEPS=${STEPS:-1000000}
KEY=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ # RFC 4226's test key, base32
CODE=00000000                        # 8 digits; matches about 2% of the time over 2 million steps: then both stop early

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
"$GO" build -o "$dir/otpdoctor" ./cmd/otpdoctor
printf 'otpauth://totp/bench?secret=%s&digits=8\n' "$KEY" >"$dir/key.uri"
chmod 600 "$dir/key.uri"

# seconds runs a command and prints its wall time in seconds (its exit status ignored:
# no match is the expected outcome).
seconds() {
	start=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || true
	end=$(date +%s.%N)
	awk "BEGIN { print $end - $start }"
}

window=$((STEPS * 30))s
echo "searching ±$STEPS steps (SHA1, 8 digits), $(nproc) cores"
t_oath=$(seconds oathtool --totp -b -d 8 -w "$STEPS" "$KEY" "$CODE")
t_doctor=$(seconds "$dir/otpdoctor" match "$CODE" --secret-file "$dir/key.uri" --offline --window "$window")
awk -v steps="$STEPS" -v window="$window" -v oath="$t_oath" -v doctor="$t_doctor" 'BEGIN {
	printf "oathtool -w %d:                %6.2f s  (%4.1f M steps/s)\n", steps, oath, 2 * steps / oath / 1e6
	printf "otpdoctor match --window %s: %6.2f s  (%4.1f M steps/s)\n", window, doctor, 2 * steps / doctor / 1e6
	printf "otpdoctor is %.1f times as fast\n", oath / doctor
}'
