#!/bin/sh
# Regenerates the shipped prompts zh/*.wav and en/*.wav from phrases.tsv.
#
# The prompt files are made by the Hotline project itself with espeak-ng (voices cmn-latn-pinyin and en) and
# sox, and committed to the repository so that the build and the server never need espeak-ng to speak
# digits, numbers, amounts, dates, times and queue positions. They are regenerated only by hand, after
# phrases.tsv (and PromptKey.java, which a unit test keeps identical to it) changes:
#
#   apt-get install espeak-ng sox
#   engine/src/main/resources/prompts/generate.sh
#
# Output: 8 kHz mono G.711 mu-law WAV, leading and trailing silence trimmed, peak-normalised to -3 dBFS.
# Mandarin uses the voice cmn-latn-pinyin because the plain cmn voice of espeak-ng 1.51 reads many characters
# as English-spelled pinyin (see Language.java).
set -eu
cd "$(dirname "$0")"

for tool in espeak-ng sox; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool is missing: apt-get install espeak-ng sox" >&2; exit 1; }
done

SPEED=${SPEED:-150}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p zh en

# render <lang-dir> <voice> <key> <text>
render() {
    printf '%s' "$4" | espeak-ng -v "$2" -s "$SPEED" --stdin -w "$tmp/raw.wav"
    # Trim silence below -50 dBFS at both ends, normalise, band-limit and resample to 8 kHz (sox's rate effect
    # is a proper low-pass resampler), then mu-law. -D: no dither, so that regeneration is reproducible.
    sox -D "$tmp/raw.wav" -r 8000 -e u-law -b 8 -c 1 "$1/$3.wav" \
        silence 1 0.005 -50d reverse silence 1 0.005 -50d reverse \
        norm -3 rate -v 8000
}

tab=$(printf '\t')
count=0
while IFS="$tab" read -r key zh en; do
    case "$key" in ''|'#'*) continue ;; esac
    if [ "$key" = beep ]; then
        for dir in zh en; do
            sox -D -n -r 8000 -e u-law -b 8 -c 1 "$dir/beep.wav" synth 0.4 sine 1000 fade t 0.01 0.4 0.01 norm -6
        done
    else
        render zh cmn-latn-pinyin "$key" "$zh"
        render en en "$key" "$en"
    fi
    count=$((count + 1))
done < phrases.tsv

echo "generated $count prompts in zh/ and en/; total $(du -ch zh/*.wav en/*.wav | tail -1 | cut -f1)"
