# Plugins built as shared objects:
#   example_plugin_build   `cmake --install` of this build into a fresh prefix, then
#                          examples/plugin built out of tree against it only; the module
#                          exports exactly opp_plugin_entry (fixture opp_example_plugin:
#                          leaves it at OPP_EXAMPLE_PLUGIN below)
#   example_plugin_tests   that module dlopen()ed and driven through the real host table
#   opp_test_plugin_wrong_abi  a module one ABI version ahead, for the loader's refusal test
# Building the example needs a C compiler and nm; without them both tests report themselves
# skipped, naming what is missing.

# The wrong-ABI module: every function aborts, so a loader that calls one fails loudly.
add_library(opp_test_plugin_wrong_abi MODULE ${CMAKE_CURRENT_LIST_DIR}/data/plugins/wrong_abi_plugin.cpp)
target_link_libraries(opp_test_plugin_wrong_abi PRIVATE Opp::plugin)

set(OPP_EXAMPLE_PLUGIN_DIR ${CMAKE_CURRENT_BINARY_DIR}/example-plugin)
set(OPP_EXAMPLE_PLUGIN ${OPP_EXAMPLE_PLUGIN_DIR}/libopp_example_plugin.so)

include(CheckLanguage)
check_language(C)
find_program(OPP_NM nm)
set(OPP_EXAMPLE_PLUGIN_MISSING "")
if(NOT CMAKE_C_COMPILER)
  string(APPEND OPP_EXAMPLE_PLUGIN_MISSING " a C compiler")
endif()
if(NOT OPP_NM)
  string(APPEND OPP_EXAMPLE_PLUGIN_MISSING " nm")
endif()

add_executable(example_plugin_tests ${CMAKE_CURRENT_LIST_DIR}/unit/plugins/example_plugin_test.cpp)
target_link_libraries(example_plugin_tests PRIVATE opp_gateway_plugins yaml-cpp opp_catch_main
                      ${CMAKE_DL_LIBS} Threads::Threads)
target_compile_definitions(example_plugin_tests PRIVATE OPP_EXAMPLE_PLUGIN="${OPP_EXAMPLE_PLUGIN}"
  OPP_WRONG_ABI_PLUGIN="$<TARGET_FILE:opp_test_plugin_wrong_abi>")
add_dependencies(example_plugin_tests opp_test_plugin_wrong_abi)

if(OPP_EXAMPLE_PLUGIN_MISSING)
  foreach(name example_plugin_build example_plugin_tests)
    add_test(NAME ${name}
             COMMAND sh -c "echo 'skipped: building the example plugin needs${OPP_EXAMPLE_PLUGIN_MISSING}'; exit 77")
    set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77 LABELS integration)
  endforeach()
  return()
endif()

# It installs the four programs: building this test's executable builds them first.
add_dependencies(example_plugin_tests opp-gateway opp-payment opp-admin opp-idl)
add_test(NAME example_plugin_build
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/integration/plugins/example_plugin_build.sh ${CMAKE_COMMAND}
                 ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${OPP_EXAMPLE_PLUGIN_DIR}
                 ${CMAKE_GENERATOR} ${PROJECT_VERSION} ${CMAKE_INSTALL_LIBDIR})
set_tests_properties(example_plugin_build PROPERTIES LABELS integration TIMEOUT 300
                     FIXTURES_SETUP opp_example_plugin)
catch_discover_tests(example_plugin_tests PROPERTIES LABELS "unit" FIXTURES_REQUIRED opp_example_plugin)
