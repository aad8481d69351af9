# What `cmake --install` puts in a prefix for plugin authors, besides the
# program and the built-in stages: the CMake package (framepipe::sdk,
# framepipe::testing, framepipe_add_stage) and the pkg-config files. Both
# are relocatable: they find the prefix from their own location.
include(CMakePackageConfigHelpers)

set(FP_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/framepipe")

# The ABI version, read from the header so the two never disagree.
file(STRINGS "${PROJECT_SOURCE_DIR}/core/include/framepipe/stage.h" abi
     REGEX "^#define FP_ABI_(MAJOR|MINOR) ")
string(REGEX REPLACE ".*FP_ABI_MAJOR ([0-9]+).*" "\\1" FP_ABI_MAJOR "${abi}")
string(REGEX REPLACE ".*FP_ABI_MINOR ([0-9]+).*" "\\1" FP_ABI_MINOR "${abi}")

install(EXPORT framepipeTargets
  NAMESPACE framepipe::
  FILE framepipeTargets.cmake
  DESTINATION "${FP_CMAKE_INSTALL_DIR}")
configure_package_config_file(cmake/framepipeConfig.cmake.in
  "${PROJECT_BINARY_DIR}/framepipeConfig.cmake"
  INSTALL_DESTINATION "${FP_CMAKE_INSTALL_DIR}"
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_BINDIR FP_STAGE_INSTALL_DIR)
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/framepipeConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMajorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/framepipeConfig.cmake"
  "${PROJECT_BINARY_DIR}/framepipeConfigVersion.cmake"
  cmake/FramepipeAddStage.cmake
  DESTINATION "${FP_CMAKE_INSTALL_DIR}")

file(RELATIVE_PATH FP_PREFIX_FROM_PCDIR
     "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" FP_PREFIX_FROM_PCDIR "${FP_PREFIX_FROM_PCDIR}")
set(FP_DL_LIBS "")
foreach(lib IN LISTS CMAKE_DL_LIBS)
  string(APPEND FP_DL_LIBS " -l${lib}")
endforeach()
string(STRIP "${FP_DL_LIBS}" FP_DL_LIBS)
foreach(pc framepipe framepipe-testing)
  configure_file(cmake/${pc}.pc.in "${PROJECT_BINARY_DIR}/${pc}.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/${pc}.pc"
    DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
endforeach()
