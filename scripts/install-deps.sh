#!/usr/bin/env bash
# Installs the Debian packages the build and the window tests need, only the
# missing ones: through apt-get as root, or sudo; otherwise says what to run.
set -euo pipefail

packages=(libgl1-mesa-dev xorg-dev libgtk-3-dev libwayland-dev libxkbcommon-dev
	pkg-config xvfb xdotool xclip xz-utils)

if ! command -v go >/dev/null 2>&1; then
	echo "Go is not installed: get Go 1.26 or newer from your package manager or go.dev/dl" >&2
	exit 1
fi

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "Missing system packages: ${missing[*]} (this script knows apt-get only; install their equivalents)" >&2
	exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo=(sudo)
else
	echo "Missing system packages: ${missing[*]}" >&2
	echo "Install them as root:  sudo apt-get install ${missing[*]}" >&2
	exit 1
fi

echo "Installing system packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
