#!/usr/bin/env bash
# Installs or upgrades the cart firmware on a Raspberry Pi OS (arm64) board,
# from the unpacked release archive this script sits in:
#   sudo ./install.sh --cart-id CART --store-id STORE --board m5stack|dfrobot [--mqtt-url mqtts://broker:8883]
# (needed on the first install only, to write the config; an existing
# /etc/cart-firmware/config.json is kept). Steps: Node.js check, build tools
# for the native modules, production dependencies in /opt/cart-firmware/<release>,
# the `current` link, user and groups, runtime folder, units, udev rule, config,
# then the service is enabled and started, and its health printed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
release=$(basename "$here")
prefix=/opt/cart-firmware
etc=/etc/cart-firmware

cart_id="" store_id="" board="" mqtt_url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cart-id) cart_id=$2; shift 2 ;;
    --store-id) store_id=$2; shift 2 ;;
    --board) board=$2; shift 2 ;;
    --mqtt-url) mqtt_url=$2; shift 2 ;;
    *) echo "usage: sudo ./install.sh [--cart-id CART --store-id STORE --board m5stack|dfrobot] [--mqtt-url URL]" >&2; exit 2 ;;
  esac
done

say() { printf '==> %s\n' "$*"; }
fail() { printf 'install failed: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "run as root (sudo ./install.sh ...)"
[ -f "$here/dist/firmware/main.js" ] || fail "run install.sh from the unpacked release archive"
arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
[ "$arch" = arm64 ] || say "warning: this is $arch, the firmware is built and measured for arm64 Raspberry Pi OS"

# Node.js 20 at /usr/bin/node (the unit runs it from there), e.g. from NodeSource.
[ -x /usr/bin/node ] || fail "Node.js 20 is not installed at /usr/bin/node (see docs/install.md)"
node_major=$(/usr/bin/node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || fail "Node.js $node_major found, 20 needed (see docs/install.md)"

# The native modules that ship no arm64 binary (epoll, i2c-bus, unix-dgram, and
# better-sqlite3 when its prebuilt download is not reachable) compile on the board.
if ! command -v g++ >/dev/null || ! command -v make >/dev/null || ! command -v python3 >/dev/null; then
  say "installing build tools for the native modules"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends build-essential python3
fi

# The light, buzzer and buttons go through the GPIO character device with
# libgpiod's tools (gpio.backend "chardev", the default).
if ! command -v gpioset >/dev/null || ! command -v gpiomon >/dev/null || ! command -v gpioget >/dev/null; then
  say "installing libgpiod's tools for GPIO"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gpiod
fi

# RestartMode=direct (a crash restarts the firmware rather than handing the
# cart to the maintenance light) needs systemd 254; older ones ignore it.
systemd_version=$(systemctl --version | awk 'NR == 1 { print $2 }')
if [ "${systemd_version:-0}" -lt 254 ] 2>/dev/null; then
  say "warning: systemd $systemd_version ignores RestartMode=direct (254 and later): here the first crash stops the firmware and blinks the maintenance light until a technician restarts it (docs/install.md)"
fi

say "installing $release in $prefix/$release"
mkdir -p "$prefix"
rm -rf "${prefix:?}/$release.new"
cp -a "$here" "$prefix/$release.new"
(cd "$prefix/$release.new" && npm ci --omit=dev --no-audit --no-fund)
rm -rf "${prefix:?}/$release"
mv "$prefix/$release.new" "$prefix/$release"
ln -sfn "$release" "$prefix/current.new" && mv -T "$prefix/current.new" "$prefix/current"
chmod +x "$prefix/current/dist/firmware/main.js"
ln -sfn "$prefix/current/dist/firmware/main.js" /usr/local/bin/cart-firmware

say "user, groups and runtime folder"
install -m 0644 "$here/systemd/cart-firmware.sysusers" /usr/lib/sysusers.d/cart-firmware.conf
systemd-sysusers /usr/lib/sysusers.d/cart-firmware.conf
install -m 0644 "$here/systemd/cart-firmware.tmpfiles" /usr/lib/tmpfiles.d/cart-firmware.conf
systemd-tmpfiles --create /usr/lib/tmpfiles.d/cart-firmware.conf

say "udev rule for the scanner"
install -m 0644 "$here/systemd/99-cart-scanner.rules" /etc/udev/rules.d/99-cart-scanner.rules
udevadm control --reload
udevadm trigger --subsystem-match=tty --action=change

say "config in $etc"
install -d -m 0750 -o root -g cart-firmware "$etc"
if [ ! -f "$etc/config.json" ]; then
  if [ -z "$cart_id" ] || [ -z "$store_id" ] || [ -z "$board" ]; then
    fail "first install: give --cart-id, --store-id and --board (config.json is written from them)"
  fi
  CART_ID=$cart_id STORE_ID=$store_id BOARD=$board MQTT_URL=$mqtt_url /usr/bin/node -e '
    const c = { cart: { id: process.env.CART_ID, storeId: process.env.STORE_ID }, scale: { board: process.env.BOARD }, scanner: { kind: "serial", path: "/dev/cart-scanner" } };
    if (process.env.MQTT_URL) c.mqtt = { url: process.env.MQTT_URL };
    require("fs").writeFileSync(process.argv[1], JSON.stringify(c, null, 2) + "\n");
  ' "$etc/config.json"
  chown root:cart-firmware "$etc/config.json"
  chmod 0640 "$etc/config.json"
  say "wrote $etc/config.json; every key and its default: docs/install.md"
fi

# Buttons go to ground and need the SoC's pull-ups. The chardev backend asks
# for them itself; sysfs GPIO cannot, so config.txt sets them at boot too.
boot_config=/boot/firmware/config.txt
if [ -f "$boot_config" ] && ! grep -q '^# cart-firmware buttons' "$boot_config"; then
  pins=$(/usr/bin/node -e '
    let f = {}; try { f = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).feedback ?? {}; } catch {}
    const p = f.pins ?? {}; console.log([p.help ?? 17, p.myBag ?? 27].join(","));
  ' "$etc/config.json")
  printf '\n# cart-firmware buttons: inputs with pull-ups\ngpio=%s=ip,pu\n' "$pins" >> "$boot_config"
  say "pull-ups for the buttons (GPIO $pins) set in $boot_config: reboot once for them to apply"
fi
if [ ! -e /dev/i2c-1 ] && command -v raspi-config >/dev/null; then
  say "enabling I2C for the load cells"
  raspi-config nonint do_i2c 0
fi

say "systemd units"
install -m 0644 "$here/systemd/cart-firmware.service" "$here/systemd/cart-firmware-maintenance.service" /etc/systemd/system/
systemctl daemon-reload
systemctl enable cart-firmware.service
systemctl restart cart-firmware.service

say "waiting for the service to be ready"
for _ in $(seq 1 60); do
  systemctl is-active --quiet cart-firmware.service && break
  sleep 1
done
systemctl --no-pager --lines=0 status cart-firmware.service || true
sleep 6 # the first health file
/usr/local/bin/cart-firmware health || say "not fit to shop yet: see above and journalctl -u cart-firmware"
