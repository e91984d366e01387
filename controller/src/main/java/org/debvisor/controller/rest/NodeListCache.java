package org.debvisor.controller.rest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Node-list answers built once and shared: the JSON of one query (selector, sort, limit, cursor) is
 * kept with the inventory generation it was read at, and served to every caller until a durable
 * write bumps that generation (an enrolment, a revoke, a rollout step: the next list shows it) or
 * the answer is older than {@code maxAge}. Heartbeats are not durable writes: what they change
 * (last seen, last status, stale) shows within {@code maxAge} plus one rebuild. While a query's
 * answer is being built, callers of the same query wait for that one build instead of each building
 * their own; when only its age ran out, they get the previous answer meanwhile. At most {@code
 * capacity} answers are kept (least recently used leave first).
 */
final class NodeListCache {

  /** The query of a list request as sent, so equal requests share one answer. */
  record Query(String selector, String sort, String limit, String cursor) {}

  /** A built answer: the UTF-8 JSON and its entity tag. */
  record Body(byte[] json, String etag) {}

  private record Kept(Body body, long generation, long builtAtNanos) {}

  private final LongSupplier generation;
  private final LongSupplier nanoTime;
  private final long maxAgeNanos;
  private final int capacity;
  private final Map<Query, Kept> entries;
  private final Map<Query, CompletableFuture<Kept>> building = new ConcurrentHashMap<>();

  /**
   * @param generation the inventory's write generation (rises with every durable write)
   * @param nanoTime a monotonic clock, {@link System#nanoTime} outside tests
   */
  NodeListCache(LongSupplier generation, LongSupplier nanoTime, Duration maxAge, int capacity) {
    this.generation = generation;
    this.nanoTime = nanoTime;
    this.maxAgeNanos = maxAge.toNanos();
    this.capacity = capacity;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Query, Kept> eldest) {
            return size() > NodeListCache.this.capacity;
          }
        };
  }

  /** The answer to {@code query}, built by {@code build} only when none current is kept. */
  Body get(Query query, Function<Query, Body> build) {
    long now = generation.getAsLong();
    Kept kept;
    synchronized (entries) {
      kept = entries.get(query);
    }
    boolean current = kept != null && kept.generation() == now;
    if (current && nanoTime.getAsLong() - kept.builtAtNanos() < maxAgeNanos) {
      return kept.body();
    }
    CompletableFuture<Kept> mine = new CompletableFuture<>();
    CompletableFuture<Kept> running = building.putIfAbsent(query, mine);
    if (running == null) {
      return buildAndKeep(query, build, mine).body();
    }
    if (current) {
      // Only its age ran out and another caller is rebuilding it.
      return kept.body();
    }
    Kept built = await(running);
    if (built.generation() >= now) {
      return built.body();
    }
    // That build read the inventory before the write this caller may have just made.
    return buildAndKeep(query, build, new CompletableFuture<>()).body();
  }

  /** How many answers are kept. */
  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private Kept buildAndKeep(
      Query query, Function<Query, Body> build, CompletableFuture<Kept> done) {
    try {
      // The generation is read before the inventory: a write in between makes the entry look
      // older than it is (rebuilt once more), never newer.
      long at = generation.getAsLong();
      long started = nanoTime.getAsLong();
      Kept entry = new Kept(build.apply(query), at, started);
      synchronized (entries) {
        Kept kept = entries.get(query);
        if (kept == null || kept.generation() <= entry.generation()) {
          entries.put(query, entry);
        }
      }
      done.complete(entry);
      return entry;
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
      throw e;
    } finally {
      building.remove(query, done);
    }
  }

  private static Kept await(CompletableFuture<Kept> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      // The same query fails the same way for every caller (a bad cursor, say): its own error.
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
