# Output the program cannot write is a failure: exit 1 and the reason on
# stderr, not exit 0 with the results lost. Stdout closed stands for a full
# disk or a pipe whose reader has gone (with SIGPIPE ignored); a device node
# like /dev/full of the test's own is tried too where one can be made (root).
# minimize keeps its results on stdout when its --plot cannot be written.
# Usage: cmake -DNABLA=<program> -DWORK=<scratch folder> -P output_errors.cmake
cmake_minimum_required(VERSION 3.22)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# Fails unless the command exits 1 with stderr matching `pattern`.
function(expect_failure pattern)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
  if(NOT code EQUAL 1 OR NOT err MATCHES "${pattern}")
    message(FATAL_ERROR "${ARGN}: exit code ${code}, stderr '${err}', expected 1 and '${pattern}'")
  endif()
endfunction()

# Fails unless the command exits 1 with "cannot write the output: <reason>".
function(expect_write_error reason)
  expect_failure("^nabla: cannot write the output: ${reason}\n$" ${ARGN})
endfunction()

foreach(verb_args IN ITEMS "diff;x^2" "grad;x*y;--json")
  expect_write_error("Bad file descriptor" sh -c "exec \"$0\" \"$@\" >&-" "${NABLA}" ${verb_args})
endforeach()

execute_process(COMMAND mknod "${WORK}/full" c 1 7 RESULT_VARIABLE made OUTPUT_QUIET ERROR_QUIET)
if(made EQUAL 0)
  expect_write_error("No space left on device" sh -c "exec \"$0\" diff x^2 > \"$1\"" "${NABLA}" "${WORK}/full")
endif()

# A file an option names (plot -o, minimize --trace; train --save alike)
# that cannot be written is the same failure, exit 1, not bad input (exit 2).
set(nowhere "${WORK}/no-such-folder/out")
expect_failure("nabla: cannot write '${nowhere}': " "${NABLA}" plot "x^2+y^2" -o "${nowhere}")
expect_failure("nabla: cannot write '${nowhere}': " "${NABLA}" minimize "x^2" --from 1 --trace "${nowhere}")
if(made EQUAL 0)
  expect_failure("nabla: cannot write '${WORK}/full': No space" "${NABLA}" plot "x^2+y^2" -o "${WORK}/full")
endif()

# minimize prints its results before it writes its files: a --plot that
# cannot be written fails the run but keeps what the run found (it was lost).
execute_process(COMMAND "${NABLA}" minimize "x^2+y^2" --from 1,1 --method lbfgs --plot "${nowhere}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 1 OR NOT out MATCHES "^lbfgs: f = 0 at x = 0, y = 0\n")
  message(FATAL_ERROR "minimize --plot into no folder: exit code ${code}\nstdout: ${out}\nstderr: ${err}")
endif()

# A reader that goes away (nabla hessian ... | head -c 1) is that failure
# too: the process ignores SIGPIPE, so the write fails, instead of being
# killed by the signal (exit status 141 in the shell). The Hessian of a sum of
# 300 squares is 90000 entries, far more than a pipe holds.
set(squares "x1^2")
foreach(i RANGE 2 300)
  string(APPEND squares "+x${i}^2")
endforeach()
execute_process(
  COMMAND sh -c "{ \"$0\" hessian \"$1\"; echo $? > \"$2\"; } | head -c 1 > /dev/null" "${NABLA}" "${squares}"
          "${WORK}/status"
  ERROR_VARIABLE err)
file(READ "${WORK}/status" status)
string(STRIP "${status}" status)
# (the reason is the error of the write that failed, or, when the stream
# failed before the final flush, a plain "write error")
if(NOT status EQUAL 1 OR NOT err MATCHES "^nabla: cannot write the output: (Broken pipe|write error)\n$")
  message(FATAL_ERROR "hessian into a closed pipe: exit status ${status}, stderr '${err}', expected 1 and "
                      "'cannot write the output: ...'")
endif()
