# Sourced by ./mvnw and .ci/run: points JAVA_HOME at a JDK >= 21.
# Keeps a JAVA_HOME that is already new enough; otherwise tries `java` on the PATH, then /usr/lib/jvm/*.

jdk_feature_version() { # $1 = a JDK home; prints its feature version (17, 21, 25...) or nothing
  [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

select_jdk() {
  local home v
  for home in "${JAVA_HOME:-}" \
              "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")" \
              /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$home" ] && [ -d "$home" ] || continue
    v=$(jdk_feature_version "$home")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      export JAVA_HOME="$home"
      return 0
    fi
  done
  echo "error: no JDK 21 or newer found (looked at JAVA_HOME, javac on the PATH and /usr/lib/jvm). Install one and set JAVA_HOME." >&2
  return 1
}
