#include "cargon2.h"
