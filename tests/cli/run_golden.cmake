# Runs one golden case of the `nabla` program and compares it with the
# expected files. A case is a set of files sharing a stem in cases/:
#   <stem>.args   the arguments, one per line (required)
#   <stem>.stdin  what the program reads on stdin (default: nothing)
#   <stem>.out    the expected stdout (default: empty)
#   <stem>.err    the expected stderr (default: empty)
#   <stem>.code   the expected exit code (default: 0)
#   other files   fixtures the arguments name as @CASES@/<file>
# Usage: cmake -DNABLA=<program> -DCASE=<dir>/<stem> -P run_golden.cmake
# With the environment variable NABLA_GOLDEN_UPDATE=1 the expected files are
# rewritten from the actual run (review the diff before committing it).
cmake_minimum_required(VERSION 3.22)
if(NOT NABLA OR NOT CASE)
  message(FATAL_ERROR "usage: cmake -DNABLA=<program> -DCASE=<dir>/<stem> -P run_golden.cmake")
endif()

file(STRINGS "${CASE}.args" args ENCODING UTF-8)
# @CASES@ in the arguments stands for the cases folder (fixture files live
# there); in the program's output the folder is written back as @CASES@.
get_filename_component(cases_dir "${CASE}" DIRECTORY)
string(REPLACE "@CASES@" "${cases_dir}" args "${args}")
set(input /dev/null)
if(EXISTS "${CASE}.stdin")
  set(input "${CASE}.stdin")
endif()
execute_process(COMMAND "${NABLA}" ${args}
                INPUT_FILE "${input}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
string(REPLACE "${cases_dir}" "@CASES@" out "${out}")
string(REPLACE "${cases_dir}" "@CASES@" err "${err}")

foreach(kind out err code)
  set(expected "")
  if(kind STREQUAL "code")
    set(expected "0")
  endif()
  if(EXISTS "${CASE}.${kind}")
    file(READ "${CASE}.${kind}" expected)
  endif()
  set(actual "${${kind}}")
  if(kind STREQUAL "code")
    string(STRIP "${expected}" expected)
  endif()
  if(DEFINED ENV{NABLA_GOLDEN_UPDATE})
    if(kind STREQUAL "code" AND actual STREQUAL "0")
      file(REMOVE "${CASE}.code")
    elseif(NOT kind STREQUAL "code" AND actual STREQUAL "")
      file(REMOVE "${CASE}.${kind}")
    elseif(kind STREQUAL "code")
      file(WRITE "${CASE}.${kind}" "${actual}\n")
    else()
      file(WRITE "${CASE}.${kind}" "${actual}")
    endif()
  elseif(NOT actual STREQUAL expected)
    list(APPEND failures "${kind}")
    message("---- expected ${kind} ----\n${expected}\n---- actual ${kind} ----\n${actual}\n")
  endif()
endforeach()
if(failures)
  message(FATAL_ERROR "nabla ${args}: ${failures} differ from ${CASE}.*")
endif()
