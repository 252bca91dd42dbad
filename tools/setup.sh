#!/usr/bin/env bash
# Make a fresh Debian machine ready: system packages (only those missing), then the npm tree.
# Idempotent and quiet when there is nothing to do; every npm script that needs the world calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

# binary or file the project runs  ->  the Debian package that provides it
# dnsmasq-base, not dnsmasq: the latter starts a system-wide DNS service we do not want.
declare -A need=(
  [/usr/sbin/dnsmasq]=dnsmasq-base
  [/usr/bin/aria2c]=aria2
  [/usr/sbin/kexec]=kexec-tools
  [/usr/bin/opentracker]=opentracker
  [/usr/bin/qemu-system-x86_64]=qemu-system-x86
  [/usr/lib/ipxe/qemu/efi-virtio.rom]=ipxe-qemu
  # UEFI firmware for the lab's UEFI and Secure Boot clients (the signed shim and GRUB they boot are
  # downloaded by `npm run phase1`, never installed: their scripts would touch this machine's EFI partition)
  [/usr/share/OVMF/OVMF_CODE_4M.secboot.fd]=ovmf
  [/usr/lib/PXELINUX/pxelinux.0]=pxelinux
  [/usr/lib/syslinux/modules/bios/ldlinux.c32]=syslinux-common
  [/usr/bin/bsdtar]=libarchive-tools
  [/bin/busybox]=busybox-static
  [/usr/bin/cpio]=cpio
  [/usr/bin/tmux]=tmux
  [/usr/sbin/ip]=iproute2
  [/usr/sbin/tc]=iproute2
  [/usr/bin/strip]=binutils
  [/usr/bin/file]=file
  # static aria2c and kexec for Phase 1 are built from Debian's source packages (once, then cached)
  [/usr/bin/g++]=g++
  [/usr/bin/make]=make
  [/usr/bin/dpkg-source]=dpkg-dev
  # aria2c's SHA-1, RC4 and Diffie-Hellman, linked into it statically
  [/usr/include/nettle/sha1.h]=nettle-dev
  [/usr/include/gmpxx.h]=libgmp-dev
  [/usr/bin/xz]=xz-utils
  # Node's ICU data trimmed to English for the single-file bttui
  [/usr/sbin/icupkg]=icu-devtools
  # the dashboard's browser test drives the system browser (playwright-core downloads none)
  [/usr/bin/chromium]=chromium
  # the host's service unit (assets/boottorrent.service) is checked with systemd-analyze verify
  [/usr/bin/systemd-analyze]=systemd
)
missing=()
for path in "${!need[@]}"; do
  [ -e "$path" ] || missing+=("${need[$path]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "setup: run as root, or install sudo: apt-get install ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when package-lock.json changed since the last install (a stamp records its hash)
stamp=node_modules/.boottorrent-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -x node_modules/.bin/node ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
