# Writes a C++ file holding the schema migrations, so opp-payment needs no schema files
# at run time. Invoked by add_custom_command with -DSCHEMA_ROOT=... -DOUTPUT=...
foreach(dialect sqlite postgresql)
  file(GLOB files "${SCHEMA_ROOT}/${dialect}/payment/*.sql")
  list(SORT files)
  set(entries_${dialect} "")
  foreach(path IN LISTS files)
    get_filename_component(name "${path}" NAME)
    string(REGEX MATCH "^[0-9]+" version "${name}")
    if(version STREQUAL "")
      message(FATAL_ERROR "migration ${name} must start with its version number")
    endif()
    math(EXPR version "${version}")
    file(READ "${path}" text)
    string(APPEND entries_${dialect} "    {${version}, \"${name}\", R\"opp_sql(${text})opp_sql\"},\n")
  endforeach()
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from schemas/*/payment/*.sql by embed_migrations.cmake. Do not edit.
#include \"payment/infrastructure/sql/migrations.hpp\"

namespace opp::payment {

const std::vector<Migration>& embedded_migrations(Dialect dialect) {
  static const std::vector<Migration> sqlite = {
${entries_sqlite}  };
  static const std::vector<Migration> postgresql = {
${entries_postgresql}  };
  return dialect == Dialect::kSqlite ? sqlite : postgresql;
}

}  // namespace opp::payment
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
