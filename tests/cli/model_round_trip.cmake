# A model saved by `nabla train` and read back by predict and evaluate: the
# checkpoint remembers its training file's column names, so a file is read
# by name, whatever its column order, and the target is the one the model
# was trained to predict (not the file's last column). Also: a binary loss
# refuses three classes, a diverged run fails and saves nothing (and is not
# one with --clip-norm), and --save may not name the data file.
# Usage: cmake -DNABLA=<program> -DDATA=<data folder> -DWORK=<scratch folder> -P model_round_trip.cmake
cmake_minimum_required(VERSION 3.22)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# Runs the program; sets <prefix>_out, <prefix>_err, <prefix>_code.
function(nabla prefix)
  execute_process(COMMAND "${NABLA}" ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
  set(${prefix}_out "${out}" PARENT_SCOPE)
  set(${prefix}_err "${err}" PARENT_SCOPE)
  set(${prefix}_code "${code}" PARENT_SCOPE)
endfunction()

function(expect_code prefix code)
  if(NOT "${${prefix}_code}" STREQUAL "${code}")
    message(FATAL_ERROR "${prefix}: exit code ${${prefix}_code}, expected ${code}\n"
                        "stdout: ${${prefix}_out}\nstderr: ${${prefix}_err}")
  endif()
endfunction()

function(expect_same a b)
  if(NOT "${${a}_out}" STREQUAL "${${b}_out}")
    message(FATAL_ERROR "${a} and ${b} differ:\n${${a}_out}\n----\n${${b}_out}")
  endif()
endfunction()

function(expect_error prefix text)
  expect_code(${prefix} 2)
  string(FIND "${${prefix}_err}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${prefix}: stderr lacks '${text}':\n${${prefix}_err}")
  endif()
endfunction()

# diabetes.csv with its columns reordered (sex first, then age), and without age.
file(STRINGS "${DATA}/diabetes.csv" lines)
set(swapped "")
set(no_age "")
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^([^,]*),([^,]*)," "\\2,\\1," s "${line}")
  string(REGEX REPLACE "^[^,]*," "" n "${line}")
  string(APPEND swapped "${s}\n")
  string(APPEND no_age "${n}\n")
endforeach()
file(WRITE "${WORK}/swapped.csv" "${swapped}")
file(WRITE "${WORK}/no_age.csv" "${no_age}")

nabla(train train "${DATA}/diabetes.csv" --model linear --target bmi --epochs 3 --save "${WORK}/bmi.nbl")
expect_code(train 0)
nabla(saved evaluate "${WORK}/bmi.nbl" "${DATA}/diabetes.csv")
nabla(named evaluate "${WORK}/bmi.nbl" "${DATA}/diabetes.csv" --target bmi)
nabla(reordered evaluate "${WORK}/bmi.nbl" "${WORK}/swapped.csv")
expect_code(saved 0)
expect_same(saved named)
expect_same(saved reordered)
nabla(predicted predict "${WORK}/bmi.nbl" "${DATA}/diabetes.csv")
nabla(predicted_reordered predict "${WORK}/bmi.nbl" "${WORK}/swapped.csv")
expect_code(predicted 0)
expect_same(predicted predicted_reordered)

nabla(other_target evaluate "${WORK}/bmi.nbl" "${DATA}/diabetes.csv" --target progression)
expect_error(other_target "trained to predict 'bmi'")
nabla(missing_column predict "${WORK}/bmi.nbl" "${WORK}/no_age.csv")
expect_error(missing_column "no column 'age'")

nabla(three_classes train "${DATA}/iris.csv" --loss bce --epochs 1)
expect_error(three_classes "takes two classes; the target has 3")
# A class the model never saw is named with its row, column and value.
file(WRITE "${WORK}/two_classes.csv" "a,b,y\n0.1,0.2,0\n0.3,0.5,1\n0.2,0.1,0\n0.9,0.8,1\n")
nabla(two_classes train "${WORK}/two_classes.csv" --model logistic --optimizer lbfgs --save "${WORK}/two.nbl")
expect_code(two_classes 0)
file(WRITE "${WORK}/new_class.csv" "a,b,y\n0.1,0.2,0\n0.3,0.4,7\n")
nabla(new_class evaluate "${WORK}/two.nbl" "${WORK}/new_class.csv")
expect_error(new_class "data row 2 (counted from 1, after the header) has the class 7 in column 'y', which the model never saw (its classes: [0, 1])")

# Targets whose squares overflow are an input error (exit 2, nothing saved),
# not a run that "diverged" at once; targets of 1e150 train, and gradient
# descent at step 1000 drives their loss to inf: a divergence (exit 1).
file(WRITE "${WORK}/huge.csv" "x,y\n1,1e300\n2,-1e300\n3,2e300\n4,-2e300\n5,1e300\n6,-1e300\n7,1e300\n8,-1e300\n")
nabla(overflowing train "${WORK}/huge.csv" --model linear --epochs 3 --save "${WORK}/huge.nbl")
expect_code(overflowing 2)
expect_error(overflowing "whose square overflows")
if(EXISTS "${WORK}/huge.nbl")
  message(FATAL_ERROR "a refused run must save nothing:\n${overflowing_out}\n${overflowing_err}")
endif()
file(WRITE "${WORK}/large.csv" "x,y\n1,1e150\n2,-1e150\n3,2e150\n4,-2e150\n5,1e150\n6,-1e150\n7,1e150\n8,-1e150\n")
nabla(diverged train "${WORK}/large.csv" --model linear --optimizer gd --lr 1000 --epochs 5 --save "${WORK}/large.nbl")
expect_code(diverged 1)
string(FIND "${diverged_err}" "the loss became inf" at)
if(at EQUAL -1 OR EXISTS "${WORK}/large.nbl")
  message(FATAL_ERROR "a diverged run must say so and save nothing:\n${diverged_out}\n${diverged_err}")
endif()

# Finite but diverging: gradient descent at step 1 on the raw-scale target
# grows the loss from 3e4 to 1e19 and on (it was "diverged": false, saved,
# exit 0, as only a non-finite loss counted).
nabla(grew train "${DATA}/diabetes.csv" --model linear --optimizer gd --lr 1 --epochs 5 --save "${WORK}/grew.nbl")
expect_code(grew 1)
string(FIND "${grew_err}" "the loss grew from" at)
if(at EQUAL -1 OR EXISTS "${WORK}/grew.nbl")
  message(FATAL_ERROR "a loss grown by orders of magnitude is a divergence:\n${grew_out}\n${grew_err}")
endif()

# A file without a header is read by position: with one column more than the
# model's inputs the last is the target; with exactly as many there is none
# (evaluate refuses, predict predicts from them all, in their order); a
# --target that leaves too few features is an error, not a reordering.
# y = 3 x1 - 2 x2 + 1 exactly, so the fit's predictions are known.
file(WRITE "${WORK}/plane.csv" "0,0,1\n1,0,4\n0,1,-1\n2,1,5\n-1,2,-6\n1,-1,6\n3,3,4\n-2,-1,-3\n")
file(WRITE "${WORK}/plane_x.csv" "2,0\n0,2\n")
nabla(plane train "${WORK}/plane.csv" --model linear --optimizer lbfgs --save "${WORK}/plane.nbl")
expect_code(plane 0)
nabla(plane_predict predict "${WORK}/plane.nbl" "${WORK}/plane_x.csv")
expect_code(plane_predict 0)
if(NOT plane_predict_out MATCHES "^(7|7\\.00000[0-9]*|6\\.99999[0-9]*)\n(-3|-3\\.00000[0-9]*|-2\\.99999[0-9]*)\n$")
  message(FATAL_ERROR "predictions of 3 x1 - 2 x2 + 1 at (2, 0) and (0, 2): ${plane_predict_out}")
endif()
nabla(plane_no_target evaluate "${WORK}/plane.nbl" "${WORK}/plane_x.csv")
expect_error(plane_no_target "no target column")
# a headerless file wider than the model's inputs and target: its width is
# what is wrong (it said the file had no column 'y')
file(WRITE "${WORK}/plane_wide.csv" "2,0,7,5\n0,2,-3,5\n")
nabla(plane_wide evaluate "${WORK}/plane.nbl" "${WORK}/plane_wide.csv")
expect_error(plane_wide "the file has 4 columns; the model takes 2 features and its target, 3")
nabla(plane_reordered predict "${WORK}/plane.nbl" "${WORK}/plane_x.csv" --target 0)
expect_error(plane_reordered "1 feature column, the model takes 2")

# A missing cell in the first line of a headerless file is an error, not a
# header (predict printed 2 predictions for 3 rows).
file(WRITE "${WORK}/first_na.csv" "1,NA\n2,1\n3,5\n")
nabla(first_na predict "${WORK}/plane.nbl" "${WORK}/first_na.csv")
expect_error(first_na "line 1, column 2: missing value ('NA')")

# predict ignores the target column, so unknown targets ('?', NA, empty)
# in it are no error; a missing feature still is, and evaluate, which
# scores the targets, refuses them.
file(WRITE "${WORK}/plane_unknown.csv" "2,0,?\n0,2,NA\n")
nabla(unknown predict "${WORK}/plane.nbl" "${WORK}/plane_unknown.csv")
expect_code(unknown 0)
if(NOT unknown_out STREQUAL plane_predict_out)
  message(FATAL_ERROR "unknown targets change the predictions:\n${unknown_out}\n----\n${plane_predict_out}")
endif()
file(WRITE "${WORK}/plane_unknown_feature.csv" "2,?,?\n0,2,1\n")
nabla(unknown_feature predict "${WORK}/plane.nbl" "${WORK}/plane_unknown_feature.csv")
expect_error(unknown_feature "line 1, column 2: missing value ('?')")
# A bad feature after an unknown target is the error, not the target
# (the '?' on line 1 was blamed), on a later line or the same one.
file(WRITE "${WORK}/plane_unknown_then_bad.csv" "2,0,?\n0,x,1\n")
nabla(unknown_then_bad predict "${WORK}/plane.nbl" "${WORK}/plane_unknown_then_bad.csv")
expect_error(unknown_then_bad "line 2, column 2: 'x' is not a number")
file(WRITE "${WORK}/bmi_unknown_then_bad.csv" "bmi,age,sex,bp,s1,s2,s3,s4,s5,s6,progression\n"
                                             "?,59,2,101.0,157,93.2,38.0,4.0,4.8598,oops,151\n")
nabla(same_line predict "${WORK}/bmi.nbl" "${WORK}/bmi_unknown_then_bad.csv")
expect_error(same_line "line 2, column 10 ('s6'): 'oops' is not a number")
nabla(unknown_scored evaluate "${WORK}/plane.nbl" "${WORK}/plane_unknown.csv")
expect_error(unknown_scored "line 1, column 3: missing value ('?')")

# The checkpoint remembers the target's column of a headerless file: trained
# with --target 0, it is evaluated on the same file without --target as with
# it (the last column was taken for the target).
file(WRITE "${WORK}/plane0.csv" "1,0,0\n4,1,0\n-1,0,1\n5,2,1\n-6,-1,2\n6,1,-1\n4,3,3\n-3,-2,-1\n")
nabla(plane0 train "${WORK}/plane0.csv" --model linear --optimizer lbfgs --target 0 --save "${WORK}/plane0.nbl")
expect_code(plane0 0)
nabla(plane0_default evaluate "${WORK}/plane0.nbl" "${WORK}/plane0.csv")
nabla(plane0_target evaluate "${WORK}/plane0.nbl" "${WORK}/plane0.csv" --target 0)
expect_code(plane0_default 0)
expect_same(plane0_default plane0_target)
if(NOT plane0_default_out MATCHES "R\\^2 (1|0\\.9999)")
  message(FATAL_ERROR "y = 3 x1 - 2 x2 + 1 in column 0 is fitted exactly: ${plane0_default_out}")
endif()

# A header with a numeric name (2020) is read as data unless --header yes
# says it names the columns; the error says so. With --header yes the model
# keeps the names, and predict reads a file by them; --header no reads a
# first line of names as data (an error).
file(WRITE "${WORK}/year.csv" "a,2020,y\n1,0,1\n4,1,5\n-1,0,-1\n5,2,7\n-6,-1,-7\n6,1,7\n4,3,7\n-3,-2,-5\n")
nabla(year_auto train "${WORK}/year.csv" --model linear --optimizer lbfgs)
expect_error(year_auto "not as a header); --header yes reads it as one")
nabla(year train "${WORK}/year.csv" --model linear --optimizer lbfgs --header yes --save "${WORK}/year.nbl")
expect_code(year 0)
file(WRITE "${WORK}/year_swapped.csv" "2020,a\n0,1\n1,4\n")
nabla(year_predict predict "${WORK}/year.nbl" "${WORK}/year_swapped.csv" --header yes)
expect_code(year_predict 0)
if(NOT year_predict_out MATCHES "^(1|0\\.99999[0-9]*|1\\.00000[0-9]*)\n(5|4\\.99999[0-9]*|5\\.00000[0-9]*)\n$")
  message(FATAL_ERROR "y = a + 2020 read by name gives 1 and 5: ${year_predict_out}")
endif()
file(WRITE "${WORK}/year_unknown.csv" "y,2020,a\n?,0,1\n,1,4\n")
nabla(year_unknown predict "${WORK}/year.nbl" "${WORK}/year_unknown.csv" --header yes)
expect_code(year_unknown 0)
expect_same(year_unknown year_predict)
nabla(year_no train "${WORK}/year.csv" --model linear --header no)
expect_error(year_no "line 1, column 1: 'a' is not a number")

# --clip-norm, the advice of that message, is an option of train: the same
# run with each batch's gradient clipped to norm 1 does not diverge. A
# full-batch method refuses it, as it refuses --lr.
nabla(clipped train "${DATA}/diabetes.csv" --model linear --optimizer gd --lr 1 --epochs 5 --clip-norm 1)
expect_code(clipped 0)
nabla(clipped_lbfgs train "${DATA}/diabetes.csv" --model linear --optimizer lbfgs --clip-norm 1)
expect_error(clipped_lbfgs "--clip-norm has no effect with --optimizer lbfgs")

# A run that diverges in its first epoch completes none: it printed "0 epochs
# (the loss grew ... in epoch 1), 0 ms per epoch".
nabla(at_once train "${DATA}/diabetes.csv" --model linear --optimizer gd --lr 1e6 --epochs 5)
expect_code(at_once 1)
if(NOT at_once_out MATCHES "\nno epoch completed \\(the loss grew from [^\n]* in epoch 1,"
   OR at_once_out MATCHES "ms per epoch")
  message(FATAL_ERROR "a divergence in epoch 1:\n${at_once_out}\n${at_once_err}")
endif()

# --save naming the data file is refused before anything is written: the
# checkpoint replaced the CSV it was trained on.
file(COPY_FILE "${DATA}/diabetes.csv" "${WORK}/own.csv")
file(SHA256 "${WORK}/own.csv" before)
get_filename_component(work_name "${WORK}" NAME)  # the same file, spelt another way
nabla(over_data train "${WORK}/own.csv" --model linear --epochs 1 --save "${WORK}/../${work_name}/own.csv")
expect_code(over_data 2)
expect_error(over_data "names the data file itself")
file(SHA256 "${WORK}/own.csv" after)
if(NOT before STREQUAL after)
  message(FATAL_ERROR "--save over the data file changed it:\n${over_data_out}\n${over_data_err}")
endif()
