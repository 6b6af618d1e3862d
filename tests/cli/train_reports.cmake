# What `nabla train` reports about a full-batch run (L-BFGS): the loss of
# the rows --validation holds out, and no verdict on gradients, which the
# full-batch methods do not measure per layer. The text has timings, so it
# is checked line by line here rather than as a golden file.
# Usage: cmake -DNABLA=<program> -DDATA=<data folder> -P train_reports.cmake
cmake_minimum_required(VERSION 3.22)

execute_process(COMMAND "${NABLA}" train "${DATA}/diabetes.csv" --model linear --optimizer lbfgs --validation 0.3
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "exit code ${code}\nstdout: ${out}\nstderr: ${err}")
endif()
# The count is the optimizer's iterations (the run makes one report, and
# "1 epochs" was printed for 34 iterations).
foreach(expected "\n[0-9][0-9]+ iterations \\(" "validation loss [0-9]" "validation R\\^2 0\\.[0-9]"
                 "gradients: not measured")
  if(NOT out MATCHES "${expected}")
    message(FATAL_ERROR "stdout lacks '${expected}':\n${out}")
  endif()
endforeach()
# The 331 training rows of the split: 232 trained on, 99 held out for validation.
if(NOT out MATCHES ": 232 training rows, 99 validation rows, 111 test rows")
  message(FATAL_ERROR "the rows trained on and held out do not add up to the split's 331:\n${out}")
endif()
if(out MATCHES "healthy")
  message(FATAL_ERROR "a gradient verdict without a measurement:\n${out}")
endif()

# A mini-batch run measures its gradients and reports the held-out loss too.
execute_process(COMMAND "${NABLA}" train "${DATA}/diabetes.csv" --model linear --epochs 2 --validation 0.3
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT out MATCHES "validation loss [0-9]" OR NOT out MATCHES "gradients: healthy"
   OR NOT out MATCHES "\n2 epochs \\(")
  message(FATAL_ERROR "mini-batch run: exit code ${code}\nstdout: ${out}\nstderr: ${err}")
endif()

# The verdict on gradients covers every epoch, also those whose reports a
# long run thins out: y = 400 (a + 2 b) explodes in epoch 1 and vanishes once
# fitted, and at 10001 epochs (odd epochs thinned) it said "layer0 vanishing
# (epoch 28)", at 10000 "layer0 exploding (epoch 1)".
foreach(epochs 10000 10001)
  execute_process(COMMAND "${NABLA}" train "${CMAKE_CURRENT_LIST_DIR}/cases/steep_targets.csv" --model linear
                          --optimizer gd --lr 0.3 --batch-size 100 --epochs ${epochs}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
  if(NOT code EQUAL 0 OR NOT out MATCHES "\ngradients: layer0 exploding \\(epoch 1\\)\n")
    message(FATAL_ERROR "${epochs} epochs: exit code ${code}\nstdout: ${out}\nstderr: ${err}")
  endif()
endforeach()
