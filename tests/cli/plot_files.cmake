# The SVG files of `nabla minimize --plot` and `nabla plot -o`, read back as
# text: loss curves of an f that reaches 0 and below are drawn (on a linear
# axis), not left out of a log axis; writing a file leaves PATH.tmp of the
# user's alone and writes through a symbolic link; the critical points of
# `plot --critical` are drawn in the axes' order (--wrt); minimize --plot
# frames iterates far from 0 and within 1e-3 of each other.
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

# --critical in the axes' order of --wrt: the minimum of (x-1)^2 + (y+2)^2
# plotted with y across was searched for in the alphabetical order and drawn
# at y = 1, x = -2 (f = 18), far from where the L-BFGS path ends.
nabla(plot "(x-1)^2+(y+2)^2" --wrt y,x --critical --paths lbfgs --from y=0,x=0 -o wrt.svg)
expect_in(wrt.svg "class=\"critical " 1)
file(READ "${WORK}/wrt.svg" content)
string(REGEX MATCH "cx=\"([0-9.]+)\" cy=\"([0-9.]+)\" r=\"[0-9.]+\" class=\"path-end\"" end "${content}")
set(end_at "cx=\"${CMAKE_MATCH_1}\" cy=\"${CMAKE_MATCH_2}\"")
string(REGEX MATCH "cx=\"([0-9.]+)\" cy=\"([0-9.]+)\" r=\"[0-9.]+\" class=\"critical minimum\"" minimum "${content}")
set(minimum_at "cx=\"${CMAKE_MATCH_1}\" cy=\"${CMAKE_MATCH_2}\"")
if(NOT end OR NOT end_at STREQUAL minimum_at)
  message(FATAL_ERROR "the minimum is drawn at ${minimum_at}, the path ends at ${end_at}")
endif()

# minimize --plot around iterates far from 0: a margin of 0.5 at x = 1e13 was
# narrower than the plot can resolve, and at 1e17 below the rounding of x, so
# both runs failed (exit 2, "the box's width is too small") with no results.
nabla(minimize "(x-1e13)^2+y^2" --from 1e13,3 --method lbfgs --plot far.svg)
expect_in(far.svg "class=\"path-end\"" 1)
nabla(minimize "(x-1e17)^2+(y-1e17)^2" --from 1e17,1e17 --method lbfgs --plot farther.svg)
expect_in(farther.svg "</svg>" 1)
# A path within 1e-3 of 0 was drawn in a margin of 0.5, a dot among ticks of
# tenths (-0.5 to 0.5).
nabla(minimize "1e6*(x^2+2*y^2)" --from 1e-3,1e-3 --method gd --lr 1e-7 --plot small.svg)
expect_in(small.svg "tick-label\"[^>]*>-?0\\.[1-5]<" 0)
