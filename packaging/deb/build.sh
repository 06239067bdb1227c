#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Build the Debian package BUILD/saker_VERSION_ARCH.deb with dpkg-deb from the
# built binaries: /usr/bin, /etc/saker (conffiles), the systemd unit, docs.
# Depends are computed by dpkg-shlibdeps.
#   packaging/deb/build.sh BUILD VERSION
set -eu
BUILD=$1
VERSION=$2
ARCH=$(dpkg --print-architecture)
here=packaging/deb
work=$BUILD/deb
root=$work/root
deb=$BUILD/saker_${VERSION}_${ARCH}.deb
rm -rf "$work"
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/etc/saker/rules.d" "$root/lib/systemd/system" \
	"$root/usr/share/doc/saker"

for b in saker sakerdump saker-eventgen; do
	install -m 0755 "$BUILD/$b" "$root/usr/bin/$b"
	strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/$b"
done
install -m 0644 packaging/saker.yaml "$root/etc/saker/saker.yaml"
install -m 0644 rules/saker_rules.yaml "$root/etc/saker/saker_rules.yaml"
install -m 0644 rules/saker_rules.local.yaml "$root/etc/saker/saker_rules.local.yaml"
install -m 0644 "$here/saker.service" "$root/lib/systemd/system/saker.service"
install -m 0644 "$here/copyright" "$root/usr/share/doc/saker/copyright"
for d in README.md docs/configuration.md docs/rules.md docs/fields.md docs/deployment.md docs/architecture.md; do
	[ -f "$d" ] && install -m 0644 "$d" "$root/usr/share/doc/saker/"
done
gzip -9n "$root/usr/share/doc/saker/fields.md" 2>/dev/null || true
cat >"$work/changelog" <<CL
saker ($VERSION) unstable; urgency=medium

  * Release $VERSION (built from the saker tree with make deb).

 -- saker developers <saker@example.org>  $(date -R -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")
CL
gzip -9n -c "$work/changelog" >"$root/usr/share/doc/saker/changelog.gz"

for s in postinst prerm postrm; do install -m 0755 "$here/$s" "$root/DEBIAN/$s"; done
(cd "$root" && find etc -type f | sort | sed 's#^#/#') >"$root/DEBIAN/conffiles"

# dpkg-shlibdeps wants a debian/control next to it.
mkdir -p "$work/src/debian"
printf 'Source: saker\n\nPackage: saker\nArchitecture: any\n' >"$work/src/debian/control"
bins=$(cd "$root" && echo "$PWD/usr/bin/saker $PWD/usr/bin/sakerdump $PWD/usr/bin/saker-eventgen")
depends=$(cd "$work/src" && dpkg-shlibdeps -O $bins 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/$depends/" \
	"$here/control.in" >"$root/DEBIAN/control"
(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/conffiles" "$root/DEBIAN/control"
find "$root" -type d -exec chmod 0755 {} +
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "package $deb ($(($(stat -c %s "$deb") / 1024)) KB)"
