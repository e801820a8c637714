# Route listings (src/routes, opp-idl routes).
#   routes_unit_tests            routes JSON / OpenAPI / HTML / Markdown from real IDL, the CLI
#   routes_openapi_validator     the OpenAPI documents against openapi-spec-validator
#   routes_json_schemas          every schema of the routes JSON against the 2020-12 meta-schema
#                                (jsonschema), and real biz_params checked both by the schema and
#                                by the codec (opp-idl encode), which must agree
#   routes_docs_chromium         the HTML page in headless Chromium: DOM and network log
# The three scripts exit 77 (reported as skipped) when their Python module or Chromium is
# missing; scripts/install-deps.sh installs chromium.
add_executable(routes_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/routes/cli_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/routes/openapi_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/routes/payment_routes_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/routes/render_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/routes/schema_test.cpp)
target_include_directories(routes_unit_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/idl
                           ${CMAKE_CURRENT_LIST_DIR}/unit/routes)
target_link_libraries(routes_unit_tests PRIVATE opp_routes opp_rapidjson opp_catch_main)
target_compile_definitions(routes_unit_tests PRIVATE ${OPP_TEST_DEFINITIONS}
  OPP_IDL_BINARY="$<TARGET_FILE:opp-idl>")
add_dependencies(routes_unit_tests opp-idl)
catch_discover_tests(routes_unit_tests PROPERTIES LABELS "unit")

find_program(OPP_PYTHON3 python3 REQUIRED)
foreach(check openapi_validator json_schemas docs_chromium)
  add_test(NAME routes_${check}
    COMMAND ${OPP_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/integration/routes/${check}.py
            $<TARGET_FILE:opp-idl> ${PROJECT_SOURCE_DIR})
  set_tests_properties(routes_${check} PROPERTIES LABELS "integration" SKIP_RETURN_CODE 77)
endforeach()
