/**
 * Several controllers on one PostgreSQL database: the CA they share (its key encrypted in the
 * database), the leader lease with fencing tokens that decides which one runs the work that must
 * run once, and the members' rows {@code debvisor controllers list} shows.
 */
package org.debvisor.controller.ha;
