#!/usr/bin/env bash
# Builds the gateway's container image (Dockerfile) on a Debian machine that reaches no container registry: both of
# the Dockerfile's base images are made here and passed in as JDK_IMAGE and BASE_IMAGE.
#   localhost/mcp-gateway-base:<debian release>  glibc, bash and zlib unpacked from the machine's own Debian packages
#                                                (apt-get download, dpkg-deb -x), plus /etc/passwd naming UID 10001
#   localhost/mcp-gateway-jdk:<java version>     that base with the JDK the build uses (.mvn/jdk.sh), for jlink
# Both are kept and reused; REBUILD_BASE=1 makes them again. Installs podman and runc with apt-get when missing,
# and builds the shaded jar when it is not there.
# Usage: deploy/build-image.sh [IMAGE]    (default IMAGE: localhost/mcp-gateway:latest)
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-localhost/mcp-gateway:latest}
base_packages=(libc6 libtinfo6 bash zlib1g)

say() { echo "build-image: $*" >&2; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1; then
  say "installing podman and runc with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc </dev/null
fi

. .mvn/jdk.sh
select_jdk
jar=examples/target/mcp-gateway.jar
if [ ! -f "$jar" ]; then
  say "no $jar yet; building it"
  ./mvnw -B -q package -pl examples -am -DskipTests
fi

. /etc/os-release
base_image=localhost/mcp-gateway-base:${VERSION_CODENAME:-debian}
java_version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release")
jdk_image=localhost/mcp-gateway-jdk:${java_version:-unknown}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${REBUILD_BASE:-0}" = 1 ] || ! deploy/podman.sh image exists "$base_image"; then
  say "assembling $base_image from Debian packages: ${base_packages[*]}"
  mkdir -p "$work/debs" "$work/root"
  # apt's download sandbox user must be able to write there.
  chmod 777 "$work/debs"
  if ! (cd "$work/debs" && apt-get download -qq "${base_packages[@]}" 2>/dev/null); then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
    (cd "$work/debs" && apt-get download -qq "${base_packages[@]}")
  fi
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  root=$work/root
  # Documentation, locales and character-set converters: nothing in the image reads them.
  rm -rf "$root"/usr/share/doc "$root"/usr/share/man "$root"/usr/share/info "$root"/usr/share/locale \
    "$root"/usr/share/lintian "$root"/usr/lib/x86_64-linux-gnu/gconv "$root"/usr/lib/*/gconv
  # Debian's merged /usr, which base-files would make: where a package unpacks into /usr only (from trixie on),
  # these links make /bin/bash and the loader's path resolve.
  for dir in bin sbin lib lib64; do
    if [ -d "$root/usr/$dir" ] && [ ! -e "$root/$dir" ]; then ln -s "usr/$dir" "$root/$dir"; fi
  done
  ln -sf bash "$root/bin/sh"
  mkdir -p "$root/etc" "$root/tmp" "$root/home/mcp"
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0:root:/root:/bin/bash\nmcp:x:10001:10001:MCP Gateway:/home/mcp:/bin/bash\n' > "$root/etc/passwd"
  printf 'root:x:0:\nmcp:x:10001:\n' > "$root/etc/group"
  printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
  chown 10001:10001 "$root/home/mcp"
  tar -C "$root" --numeric-owner -cf - . | deploy/podman.sh import \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' --change 'CMD ["/bin/bash"]' - "$base_image" >/dev/null
fi

if [ "${REBUILD_BASE:-0}" = 1 ] || ! deploy/podman.sh image exists "$jdk_image"; then
  say "making $jdk_image from $JAVA_HOME"
  mkdir -p "$work/jdk/opt"
  # Dereferenced: a packaged JDK links files such as lib/security/cacerts to /etc, which the image does not have.
  cp -rL "$JAVA_HOME" "$work/jdk/opt/jdk"
  printf 'FROM %s\nCOPY opt /opt\nENV JAVA_HOME=/opt/jdk PATH=/opt/jdk/bin:/usr/local/bin:/usr/bin:/bin\n' \
    "$base_image" > "$work/jdk/Containerfile"
  deploy/podman.sh build -q --pull=never -t "$jdk_image" "$work/jdk" >/dev/null
fi

say "building $image"
deploy/podman.sh build --pull=never --format docker --build-arg "JDK_IMAGE=$jdk_image" \
  --build-arg "BASE_IMAGE=$base_image" -t "$image" .
say "built $image ($(deploy/podman.sh image inspect --format '{{.Size}}' "$image") bytes)"
