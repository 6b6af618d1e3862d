# The SVG files of `nabla minimize --plot` and `nabla plot -o`, read back as
# text: loss curves of an f that reaches 0 and below are drawn (on a linear
# axis), not left out of a log axis; writing a file leaves PATH.tmp of the
# user's alone and writes through a symbolic link.
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

# A run that diverged (Nesterov on Rosenbrock, to 1e36) no longer sets the
# axes: they span -1 to 2 and 0.5 to 3, where the other paths are; a tick
# label of 5 digits or an exponent would mean the diverged iterates set them.
nabla(minimize "100*(y - x^2)^2 + (1 - x)^2" --from 2,2 --method nesterov,gd,lbfgs --lr 0.001 --plot diverged.svg)
expect_in(diverged.svg "tick-label\"[^>]*>-?[0-9][0-9]?(\\.[0-9]+)?<" some)
expect_in(diverged.svg "tick-label\"[^>]*>[^<]*(e|[0-9][0-9][0-9][0-9][0-9])" 0)

# Fails unless the file holds exactly `text`.
function(expect_content file text)
  file(READ "${WORK}/${file}" content)
  if(NOT content STREQUAL "${text}")
    message(FATAL_ERROR "${file} holds '${content}', expected '${text}'")
  endif()
endfunction()

# keep.svg.tmp was taken for the temporary file and lost
file(WRITE "${WORK}/keep.svg.tmp" "precious\n")
nabla(plot "x^2+y^2" -o keep.svg)
expect_content(keep.svg.tmp "precious\n")
expect_in(keep.svg "</svg>" 1)
file(GLOB leftovers "${WORK}/.keep.svg.*")
if(leftovers)
  message(FATAL_ERROR "temporary files left behind: ${leftovers}")
endif()

# a symbolic link was replaced by a regular file, its target left as it was
file(WRITE "${WORK}/target.svg" "old\n")
file(CREATE_LINK target.svg "${WORK}/link.svg" SYMBOLIC)
nabla(plot "x^2+y^2" -o link.svg)
if(NOT IS_SYMLINK "${WORK}/link.svg")
  message(FATAL_ERROR "link.svg is no longer a symbolic link")
endif()
expect_in(target.svg "</svg>" 1)
file(CREATE_LINK not_yet.csv "${WORK}/dangling.csv" SYMBOLIC)  # a link to a file to be made
nabla(minimize "x^2+y^2+z^2" --from 1,1,1 --method gd --trace dangling.csv)
expect_in(not_yet.csv "method,iteration" 1)
