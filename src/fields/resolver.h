/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Name resolution for fd.cip.name, fd.sip.name, fd.lip.name and fd.rip.name,
 * with Falco's meaning: the names that loaded rules compare those fields
 * with are resolved in the background (getaddrinfo, so /etc/hosts and the
 * system resolver as nsswitch.conf says), refreshed periodically, and an
 * address is "named" by every watched name that resolved to it. Extraction
 * never blocks and never sends a query of its own.
 */
#ifndef SAKER_FIELDS_RESOLVER_H
#define SAKER_FIELDS_RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether names are resolved at all (name_resolution.enabled, on by default); call before rules load. */
void resolver_set_enabled(bool on);

/* Seconds between two resolutions of the watched names (name_resolution.refresh_seconds). */
void resolver_set_refresh(unsigned seconds);

/* Watch a name: resolve it now in the background, then every refresh. */
void resolver_watch(const char *name);

/*
 * The watched names an address (4 bytes for AF_INET, 16 for AF_INET6)
 * resolved to, at most max of them, into out; returns how many. The names
 * live as long as the process.
 */
size_t resolver_names_of(int af, const uint8_t *addr, const char **out, size_t max);

/* Whether every watched name has been resolved at least once (tests, startup). */
bool resolver_settled(void);

#endif
