package org.debvisor.controller.ha;

/**
 * What a controller does as it gains, holds and loses the lead; each runs on the lease's thread.
 *
 * @param takeOver this controller now leads: start the work that must run once
 * @param whileLeading at every renewal: pick up work other controllers stored
 * @param stepDown this controller no longer leads: stop that work
 */
public record LeaderDuties(Runnable takeOver, Runnable whileLeading, Runnable stepDown) {}
