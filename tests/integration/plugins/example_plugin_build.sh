#!/usr/bin/env bash
# The out-of-tree plugin story end to end: `cmake --install` of the main build into a
# fresh prefix, then examples/plugin configured and built from a copy outside the source
# tree against that prefix only (find_package(OppPlugin)), and the module it makes exports
# exactly opp_plugin_entry.
#
# usage: example_plugin_build.sh CMAKE MAIN_BUILD_DIR SOURCE_DIR OUT_DIR GENERATOR VERSION LIBDIR
#   OUT_DIR receives libopp_example_plugin.so (its path is the last line printed), for the
#   tests that load it (CTest fixture opp_example_plugin); VERSION is the project's;
#   LIBDIR is CMAKE_INSTALL_LIBDIR ("lib" unless the prefix is /usr on Debian).
set -uo pipefail
cmake=$1
main_build=$2
source=$3
out=$4
generator=$5
version=$6
libdir=$7

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
die() {
  echo "FAIL: $*" >&2
  exit 1
}

rm -rf "${out:?}"
mkdir -p "$out" || die "cannot create $out"

# 1. Install: the programs, the header and the package, and nothing else under include/.
"$cmake" --install "$main_build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; die "cmake --install $main_build failed"; }
for program in opp-gateway opp-payment opp-admin opp-idl; do
  [ -x "$prefix/bin/$program" ] || fail "bin/$program not installed"
done
cmp -s "$prefix/include/opp/plugin.h" "$source/include/opp/plugin.h" ||
  fail "include/opp/plugin.h missing or different from the source tree's"
headers=$(cd "$prefix/include" 2>/dev/null && find . -type f | sort | tr '\n' ' ')
[ "$headers" = "./opp/plugin.h " ] || fail "headers installed: '$headers', expected only opp/plugin.h"
package=$prefix/$libdir/cmake/OppPlugin
for file in OppPluginConfig.cmake OppPluginConfigVersion.cmake OppPluginTargets.cmake; do
  [ -f "$package/$file" ] || fail "$libdir/cmake/OppPlugin/$file not installed"
done
# From here on the main build's tree must not be needed: hide its programs too.
rm -rf "${prefix:?}/bin"

# 2. The package's version is the project's, and before 1.0 only the same minor release
#    satisfies a request (SameMinorVersion): the ABI may change between minor releases.
version_probe() {  # "version [EXACT]" -> configures a project that asks for it
  rm -rf "$tmp/probe" "$tmp/probe-build"
  mkdir -p "$tmp/probe"
  # shellcheck disable=SC2016 # ${OppPlugin_VERSION} is CMake's, not the shell's
  printf 'cmake_minimum_required(VERSION 3.16)\nproject(probe NONE)\nfind_package(OppPlugin %s REQUIRED)\nmessage(STATUS "OppPlugin_VERSION=${OppPlugin_VERSION}")\n' \
    "$1" >"$tmp/probe/CMakeLists.txt"
  "$cmake" -S "$tmp/probe" -B "$tmp/probe-build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$tmp/probe.log" 2>&1
}
if ! version_probe "$version EXACT" || ! grep -q "OppPlugin_VERSION=$version\$" "$tmp/probe.log"; then
  cat "$tmp/probe.log" >&2
  fail "find_package(OppPlugin $version EXACT) did not find version $version"
fi
IFS=. read -r major minor _ <<<"$version"
version_probe "$major.$((minor + 1))" && fail "find_package(OppPlugin $major.$((minor + 1))) accepted $version"
if [ "$minor" -gt 0 ]; then
  version_probe "$major.$((minor - 1))" && fail "find_package(OppPlugin $major.$((minor - 1))) accepted $version"
fi

# 3. Build the example from a copy outside the source tree, against the prefix only.
cp -R "$source/examples/plugin" "$tmp/src" || die "cannot copy examples/plugin"
grep -n '\.\./\|CMAKE_SOURCE_DIR\|PROJECT_SOURCE_DIR' "$tmp/src/CMakeLists.txt" &&
  fail "examples/plugin/CMakeLists.txt reaches outside its folder"
"$cmake" -S "$tmp/src" -B "$tmp/build" -G "$generator" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_COMPILE_WARNING_AS_ERROR=ON \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >"$tmp/configure.log" 2>&1 ||
  { cat "$tmp/configure.log" >&2; die "configuring examples/plugin against $prefix failed"; }
"$cmake" --build "$tmp/build" >"$tmp/build.log" 2>&1 ||
  { cat "$tmp/build.log" >&2; die "building examples/plugin failed"; }
grep -qx "OppPlugin_DIR:PATH=$package" "$tmp/build/CMakeCache.txt" ||
  fail "OppPlugin was not found in the installed prefix: $(grep OppPlugin_DIR "$tmp/build/CMakeCache.txt")"
grep -q -- "-isystem $prefix/include" "$tmp/build/compile_commands.json" ||
  fail "Opp::plugin did not give the installed include directory: $(cat "$tmp/build/compile_commands.json")"
grep -q -- "$source" "$tmp/build/compile_commands.json" "$tmp/build/CMakeCache.txt" &&
  fail "the example's build names the source tree $source"

# 4. The module exports exactly opp_plugin_entry, as a function.
module=$tmp/build/libopp_example_plugin.so
[ -f "$module" ] || die "no $module after the build"
exported=$(nm -D --defined-only "$module" | awk '$2 ~ /^[A-Z]$/ { print $2 " " $3 }')
[ "$exported" = "T opp_plugin_entry" ] ||
  fail "exported symbols: '$(echo "$exported" | tr '\n' ',')', expected only 'T opp_plugin_entry'"

cp "$module" "$out/" || die "cannot copy the module to $out"
[ "$failures" -eq 0 ] || exit 1
echo "$out/libopp_example_plugin.so"
