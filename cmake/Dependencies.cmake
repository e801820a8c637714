# Every third-party dependency, found once. Debian 12 packages; see scripts/install-deps.sh.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(RapidJSON REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS system program_options)

pkg_check_modules(THRIFT REQUIRED IMPORTED_TARGET thrift)
# Redis client: the shared nonce store and the rate-limit plugin's shared buckets.
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
find_program(THRIFT_COMPILER thrift REQUIRED)

# SOCI 4.0.3 on Debian ships no CMake config.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL_LIBRARY soci_postgresql)
find_package(SQLite3 REQUIRED)
add_library(opp_soci INTERFACE)
target_include_directories(opp_soci INTERFACE ${SOCI_INCLUDE_DIR})
target_link_libraries(opp_soci INTERFACE ${SOCI_CORE_LIBRARY} ${SOCI_SQLITE3_LIBRARY} SQLite::SQLite3)
if(SOCI_POSTGRESQL_LIBRARY)
  # Not linked: SOCI loads the backend by name when a postgresql:// database is opened.
  target_compile_definitions(opp_soci INTERFACE OPP_HAVE_POSTGRESQL=1)
endif()

if(OPP_TESTS)
  find_package(Catch2 2 REQUIRED)
endif()
if(OPP_BENCH)
  find_package(benchmark REQUIRED)
endif()

# rapidjson's config exports only a variable.
add_library(opp_rapidjson INTERFACE)
target_include_directories(opp_rapidjson INTERFACE ${RAPIDJSON_INCLUDE_DIRS})

# xxHash (libxxhash-dev), used header-only (XXH_INLINE_ALL): nonce fingerprints.
find_path(XXHASH_INCLUDE_DIR xxhash.h REQUIRED)
add_library(opp_xxhash INTERFACE)
target_include_directories(opp_xxhash INTERFACE ${XXHASH_INCLUDE_DIR})
