# Read by llama.cpp's CMake project when make install builds llama-cpp-python from source (the Makefile
# passes it as CMAKE_PROJECT_llama.cpp_INCLUDE, which CMake runs right after llama.cpp's project() call).
#
# llama-cpp-python forces llama.cpp's `common` library on (a cache variable set with FORCE, so
# -DLLAMA_BUILD_COMMON=OFF cannot turn it off), yet its Python side loads only libllama and ggml through
# ctypes: common (argument parsing, chat parsers, model downloads over cpp-httplib) is built, installed into
# the wheel and never loaded, and it is half of the compile. A normal variable shadows the cache entry in
# llama.cpp's directory, so `if (LLAMA_BUILD_COMMON)` skips common, cpp-httplib and common's install rule.
set(LLAMA_BUILD_COMMON OFF)
