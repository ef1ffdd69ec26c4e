# Sourced by the other scripts: install the Debian packages Podium runs with, when missing.
# chromium (the browser tests of the pages; PODIUM_WITH_BROWSER=0 leaves it out) and
# espeak-ng (the speech of live audio description). Installing needs root and apt-get;
# otherwise the script says what is missing.
_missing=()
if [ "${PODIUM_WITH_BROWSER:-1}" = "1" ]; then
    command -v chromium >/dev/null 2>&1 || _missing+=(chromium fonts-dejavu-core)
fi
command -v espeak-ng >/dev/null 2>&1 || _missing+=(espeak-ng)
if [ "${#_missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Debian's ${_missing[*]} ..."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${_missing[@]}" >/dev/null
    else
        echo "Missing system packages that cannot be installed here (needs root and apt-get):"
        echo "  ${_missing[*]} -- the browser tests and speech need them; install them with apt."
    fi
fi
