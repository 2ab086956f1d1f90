/* lab-application.h: the application object: windows, app actions, accels. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LAB_APPLICATION_ID "io.github.rnnlab.RnnLab"

#define LAB_TYPE_APPLICATION (lab_application_get_type ())
G_DECLARE_FINAL_TYPE (LabApplication, lab_application, LAB, APPLICATION, AdwApplication)

LabApplication *lab_application_new (void);

G_END_DECLS
