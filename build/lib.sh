# Shell functions shared by the build and run scripts. Source it; it defines functions only.

# Prints the home of a JDK 25: JAVA_HOME if it is one, else the first /usr/lib/jvm/*25*. Fails if there is none.
find_jdk25() {
  if [ -n "${JAVA_HOME:-}" ] && "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "25'; then
    echo "$JAVA_HOME"; return 0
  fi
  local candidate
  for candidate in /usr/lib/jvm/*25*; do
    if [ -x "$candidate/bin/javac" ] && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "25'; then
      echo "$candidate"; return 0
    fi
  done
  echo "no JDK 25 found: set JAVA_HOME to a JDK 25 (Temurin 25 is expected at /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
  return 1
}

# Prints the project's version (the root pom's own <version>, the first one after its artifactId).
project_version() {
  sed -n '/<artifactId>stream-manager-parent<\/artifactId>/{n;s:.*<version>\(.*\)</version>.*:\1:p;q}' "$1/pom.xml"
}

# Prints the tag build/images.sh gives the images of the work tree at $1: <project version>-<git short commit>.
image_tag() {
  echo "$(project_version "$1")-$(git -C "$1" rev-parse --short HEAD)"
}
