# The SVG files of `nabla minimize --plot`, read back as text: loss curves of
# an f that reaches 0 and below are drawn (on a linear axis), not left out of
# a log axis.
# Usage: cmake -DNABLA=<program> -DWORK=<scratch folder> -P plot_files.cmake
cmake_minimum_required(VERSION 3.22)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# Runs the program in WORK and fails unless it exits 0.
function(nabla)
  execute_process(COMMAND "${NABLA}" ${ARGN} WORKING_DIRECTORY "${WORK}" OUTPUT_VARIABLE out
                  ERROR_VARIABLE err RESULT_VARIABLE code)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "nabla ${ARGN}: exit code ${code}\n${out}\n${err}")
  endif()
endfunction()

# Fails unless `text` occurs `count` times in the file (or at least once for "some").
function(expect_in file text count)
  file(READ "${WORK}/${file}" content)
  string(REGEX MATCHALL "${text}" found "${content}")
  list(LENGTH found n)
  if((count STREQUAL "some" AND n EQUAL 0) OR (NOT count STREQUAL "some" AND NOT n EQUAL count))
    message(FATAL_ERROR "${file}: '${text}' occurs ${n} times, expected ${count}")
  endif()
endfunction()

# f = x^2 + y^2 + z^2 - 10 falls below 0: on a log axis both curves were skipped
nabla(minimize "x^2+y^2+z^2-10" --from 1,1,1 --method gd,lbfgs --plot negative.svg)
expect_in(negative.svg "class=\"series\"" some)
expect_in(negative.svg "data-name=\"gd\"" 1)
expect_in(negative.svg "data-name=\"lbfgs\"" 1)
expect_in(negative.svg "tick-label\"[^>]*>-" some)  # a negative tick: the axis is linear
