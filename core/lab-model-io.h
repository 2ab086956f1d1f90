/* lab-model-io.h: the model file (JSON, PyTorch's state_dict names and shapes).
 *
 *   {
 *     "format": "rnn-lab-model", "version": 1,
 *     "cell": "rnn", "nonlinearity": "tanh",
 *     "input_size": 1, "hidden_size": 50, "output_size": 1,
 *     "state_dict": { "rnn.weight_ih_l0": [[...]], ..., "fc.bias": [...] }
 *   }
 *
 * "cell" is "rnn" (the default), "lstm" or "gru", with PyTorch's shapes
 * for nn.RNN, nn.LSTM, nn.GRU (rnn.weight_ih_l0 [G H, 1] with G = 1, 4, 3,
 * ...); "nonlinearity" belongs to rnn only.
 * A bare state_dict (the six keys at the top level, as one line of Python
 * writes it: json.dump({k: v.tolist() for k, v in model.state_dict().items()}))
 * is read as well; the cell and hidden size then come from the shapes. A file that is
 * refused leaves nothing changed: loading only ever returns a new LabModel.
 */
#pragma once

#include <gio/gio.h>

#include "engine/session.h"

G_BEGIN_DECLS

#define LAB_MODEL_FORMAT  "rnn-lab-model"
#define LAB_MODEL_VERSION 1

#define LAB_MODEL_ERROR (lab_model_error_quark ())

typedef enum
{
  LAB_MODEL_ERROR_PARSE,    /* not JSON */
  LAB_MODEL_ERROR_FORMAT,   /* JSON, but not a model: format, version, cell, sizes */
  LAB_MODEL_ERROR_MISSING,  /* a tensor is missing */
  LAB_MODEL_ERROR_SHAPE,    /* a tensor has the wrong shape */
  LAB_MODEL_ERROR_VALUE,    /* a value is not a number, or NaN or infinite */
  LAB_MODEL_ERROR_MISMATCH, /* the hidden size is not the one expected */
} LabModelError;

GQuark lab_model_error_quark (void);

typedef struct
{
  int    input_size;   /* I (1 for the sine task) */
  int    hidden_size;  /* H */
  int    output_size;  /* O (1 for the sine task) */
  gsize  n_params;
  float *params;       /* (n_params) the six tensors in the engine's RnnModel layout */
  RnnCell cell;        /* rnn, lstm, gru */
} LabModel;

/* Zero parameters of the given sizes, cell rnn. */
LabModel *lab_model_new            (int input_size, int hidden_size, int output_size);
/* A copy of params; the cell is the one whose parameter count for these
 * sizes is n_params (the three differ), else NULL. */
LabModel *lab_model_new_from_params (int input_size, int hidden_size, int output_size,
                                     const float *params, gsize n_params);
LabModel *lab_model_copy           (const LabModel *model);
void      lab_model_free           (LabModel *model);
/* Number of floats for these sizes, cell rnn (the engine's n_params). */
gsize     lab_model_param_count    (int input_size, int hidden_size, int output_size);

LabModel *lab_model_load_bytes     (GBytes *bytes, GError **error);
LabModel *lab_model_load_file      (const char *path, GError **error);
/* Refuses (LAB_MODEL_ERROR_MISMATCH) a model whose hidden size is not
 * expected_hidden: "hidden size 32 in the file does not match <what> 50".
 * what names the setting, for example "--hidden-size". */
gboolean  lab_model_check_hidden_size (const LabModel *model, int expected_hidden,
                                       const char *what, GError **error);

/* The file's text, pretty-printed; every float reads back bit for bit (here
 * and in Python's json + torch.tensor). NULL (LAB_MODEL_ERROR_VALUE) if a
 * parameter is NaN or infinite. */
GBytes   *lab_model_to_bytes       (const LabModel *model, GError **error);
/* Written to a temporary file and renamed: a failed save leaves no file. */
gboolean  lab_model_save_file      (const LabModel *model, const char *path, GError **error);

/* The tutorial's initial weights (PyTorch, torch.manual_seed(0)), embedded
 * in the program: the default start when the shape is the tutorial's. */
#define LAB_TUTORIAL_MODEL_RESOURCE "/io/github/rnnlab/RnnLab/tutorial-model.json"

LabModel *lab_model_load_tutorial  (GError **error);
/* Whether cfg has the tutorial's shape (100 points, period 100, time step 10,
 * hidden size 50, train ratio 0.7), for which the tutorial's weights apply. */
gboolean  lab_config_is_tutorial_shape (const RnnConfig *cfg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabModel, lab_model_free)

G_END_DECLS
