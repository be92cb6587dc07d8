#!/usr/bin/env bash
# Installs what running the linux-arm64 build under qemu user emulation needs on a Debian/Ubuntu
# x86-64 host: qemu-user-static, the arm64 C and C++ runtimes, and the arm64 OpenSSL.
# Roslyn hashes assembly keys through OpenSSL and Debian has no cross package for it, so the
# arm64 libssl is unpacked from its .deb into qemu's sysroot. The arm64 architecture is enabled
# only for that download: arm64 libraries installed on the host confuse qemu's loader.
# Exits 0 when everything is in place, 2 when it is not and cannot be installed here.
set -uo pipefail
sysroot=/usr/aarch64-linux-gnu
ready() { command -v qemu-aarch64-static >/dev/null && [[ -e $sysroot/lib/libstdc++.so.6 && -e $sysroot/lib/libssl.so.3 ]]; }
ready && exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "setup-qemu-arm64: qemu-aarch64-static or the arm64 libraries are missing and this is not a root Debian shell" >&2
  exit 2
fi
if ! command -v qemu-aarch64-static >/dev/null || [[ ! -e $sysroot/lib/libstdc++.so.6 ]]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross) >/dev/null 2>&1
fi
if [[ ! -e $sysroot/lib/libssl.so.3 ]]; then
  debs="$(mktemp -d)"
  (dpkg --add-architecture arm64 && apt-get update -qq \
    && cd "$debs" && apt-get download libssl3:arm64 \
    && dpkg -x libssl3_*_arm64.deb unpacked \
    && cp unpacked/usr/lib/aarch64-linux-gnu/libssl.so.3 unpacked/usr/lib/aarch64-linux-gnu/libcrypto.so.3 "$sysroot/lib/") \
    >/dev/null 2>&1
  dpkg --remove-architecture arm64 >/dev/null 2>&1
  apt-get update -qq >/dev/null 2>&1
  rm -rf "$debs"
fi
ready || { echo "setup-qemu-arm64: installation failed" >&2; exit 2; }
