# `cmake --install build --prefix P`: the four programs in P/bin, and what an out-of-tree
# plugin builds against: P/include/opp/plugin.h and the CMake package OppPlugin
# (P/lib/cmake/OppPlugin), whose target Opp::plugin carries that include directory.
# Nothing to link: a plugin reaches the gateway only through the opp_host table the
# gateway hands it at create() (include/opp/plugin.h), so the package has no library.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS opp-gateway opp-payment opp-admin opp-idl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The plugin ABI as a target, in tree (Opp::plugin, e.g. for the test plugins) and installed.
add_library(opp_plugin_abi INTERFACE)
add_library(Opp::plugin ALIAS opp_plugin_abi)
set_target_properties(opp_plugin_abi PROPERTIES EXPORT_NAME plugin)
# Only plugin.h is installed: the other headers of include/opp are the C++ libraries' and
# none of those libraries is installed.
target_include_directories(opp_plugin_abi INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
install(FILES ${PROJECT_SOURCE_DIR}/include/opp/plugin.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/opp)
install(TARGETS opp_plugin_abi EXPORT OppPluginTargets)

set(OPP_PLUGIN_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/OppPlugin)
install(EXPORT OppPluginTargets NAMESPACE Opp:: DESTINATION ${OPP_PLUGIN_PACKAGE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/OppPluginConfig.cmake.in
  ${PROJECT_BINARY_DIR}/OppPluginConfig.cmake INSTALL_DESTINATION ${OPP_PLUGIN_PACKAGE_DIR})
# The header's compatibility is the ABI version, which the gateway checks when it loads a
# plugin; the package version only lets a plugin ask for a release it was written for.
# Before 1.0 a minor release may change the ABI, hence SameMinorVersion. A header only
# package fits any architecture.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/OppPluginConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/OppPluginConfig.cmake
  ${PROJECT_BINARY_DIR}/OppPluginConfigVersion.cmake DESTINATION ${OPP_PLUGIN_PACKAGE_DIR})
