# framepipe_add_stage(NAME SOURCES src.c... [LINK_LIBRARIES lib...]
#                     [OUTPUT_DIRECTORY dir])
#
# Builds stage plugin NAME as NAME.so (no "lib" prefix: the file name is the
# stage name the loader looks for), a MODULE compiled with hidden visibility
# so that it exports only its descriptor (FP_STAGE_EXPORT), against the
# public headers only. Undefined symbols are a link error here rather than a
# dlopen error at run time: link what the stage needs with LINK_LIBRARIES.
# Install it with install(TARGETS NAME LIBRARY DESTINATION ...), or put its
# folder on FRAMEPIPE_PLUGIN_PATH.
function(framepipe_add_stage name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "OUTPUT_DIRECTORY"
                        "SOURCES;LINK_LIBRARIES")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "framepipe_add_stage(${name}): SOURCES is required")
  endif()
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
      "framepipe_add_stage(${name}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  add_library(${name} MODULE ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE framepipe::sdk ${arg_LINK_LIBRARIES})
  target_link_options(${name} PRIVATE "LINKER:--no-undefined")
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    C_STANDARD 11
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(arg_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES
      LIBRARY_OUTPUT_DIRECTORY "${arg_OUTPUT_DIRECTORY}")
  endif()
endfunction()
