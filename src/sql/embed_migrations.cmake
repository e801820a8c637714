# Writes a C++ file holding a component's schema migrations, so its programs need no
# schema files at run time. Invoked (through opp_embed_migrations) as
#   cmake -DSCHEMA_ROOT=... -DCOMPONENT=payment -DNAMESPACE=opp::payment
#         -DHEADER=payment/infrastructure/sql/migrations.hpp -DOUTPUT=... -P embed_migrations.cmake
# The generated file defines NAMESPACE::embedded_migrations(opp::sql::Dialect), which
# HEADER declares, from schemas/<dialect>/COMPONENT/NNN_name.sql.
foreach(dialect sqlite postgresql)
  file(GLOB files "${SCHEMA_ROOT}/${dialect}/${COMPONENT}/*.sql")
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
file(WRITE "${OUTPUT}.tmp" "// Generated from schemas/*/${COMPONENT}/*.sql by embed_migrations.cmake. Do not edit.
#include \"${HEADER}\"

namespace ${NAMESPACE} {

const std::vector<::opp::sql::Migration>& embedded_migrations(::opp::sql::Dialect dialect) {
  static const std::vector<::opp::sql::Migration> sqlite = {
${entries_sqlite}  };
  static const std::vector<::opp::sql::Migration> postgresql = {
${entries_postgresql}  };
  return dialect == ::opp::sql::Dialect::kSqlite ? sqlite : postgresql;
}

}  // namespace ${NAMESPACE}
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
