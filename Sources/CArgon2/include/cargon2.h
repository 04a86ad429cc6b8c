#ifndef CARGON2_H
#define CARGON2_H
#include <argon2.h>
#endif
