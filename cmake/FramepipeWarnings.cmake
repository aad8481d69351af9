# Strict warnings (and sanitizers when FP_SANITIZE is on) for one target.
function(fp_target_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wvla -Wwrite-strings -Wformat=2)
  if(FP_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(FP_SANITIZE)
    target_compile_options(${target} PRIVATE
      -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
