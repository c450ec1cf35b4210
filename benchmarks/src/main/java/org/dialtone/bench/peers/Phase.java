package org.dialtone.bench.peers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dialtone.bench.report.Stats;

/** The results of one phase of M ops, and their summary in the §6 JSON. */
final class Phase {
  /** What one op did. */
  record OpResult(double ms, Double foundMs, boolean ok, int replicas, int msgs) {}

  final OpResult[] results;
  final boolean[] timedOut;
  final String[] errors;
  long wallNanos;
  long cpuNanos;
  long datagrams;

  Phase(int m) {
    results = new OpResult[m];
    timedOut = new boolean[m];
    errors = new String[m];
  }

  int ok() {
    int ok = 0;
    for (OpResult r : results) {
      if (r != null && r.ok) {
        ok++;
      }
    }
    return ok;
  }

  Map<String, Object> common() {
    Map<String, Object> m = new LinkedHashMap<>();
    int done = 0;
    long msgs = 0;
    int to = 0;
    int err = 0;
    for (int i = 0; i < results.length; i++) {
      if (results[i] != null) {
        done++;
        msgs += results[i].msgs;
      }
      to += timedOut[i] ? 1 : 0;
      err += errors[i] != null ? 1 : 0;
    }
    m.put("timedOut", to);
    m.put("errors", err);
    m.put("msgsPerOp", Stats.round(msgs / (double) Math.max(1, done)));
    m.put("wallMs", Stats.round(wallNanos / 1e6));
    m.put("opsPerSec", Stats.round(results.length / (wallNanos / 1e9)));
    m.put("cpu", Stats.round(cpuNanos / 1e6));
    m.put("datagramsPerOp", Stats.round(datagrams / (double) results.length));
    return m;
  }

  Map<String, Object> summarizeAnnounce() {
    Map<String, Object> c = common();
    Map<String, Object> m = new LinkedHashMap<>();
    List<Double> lat = new ArrayList<>();
    long replicas = 0;
    for (OpResult r : results) {
      if (r != null && r.ok) {
        lat.add(r.ms);
        replicas += r.replicas;
      }
    }
    m.put("ops", results.length);
    m.put("ok", lat.size());
    m.put("timedOut", c.get("timedOut"));
    m.put("errors", c.get("errors"));
    m.put("latencyMs", Stats.latency(lat));
    m.put("replicas", Stats.round(replicas / (double) Math.max(1, lat.size())));
    copy(c, m);
    firstError(m);
    m.put("latencySamplesMs", lat.stream().map(Stats::round).toList());
    return m;
  }

  Map<String, Object> summarizeLookup() {
    Map<String, Object> c = common();
    Map<String, Object> m = new LinkedHashMap<>();
    List<Double> found = new ArrayList<>();
    List<Double> done = new ArrayList<>();
    for (OpResult r : results) {
      if (r != null) {
        done.add(r.ms);
        if (r.ok) {
          found.add(r.foundMs);
        }
      }
    }
    m.put("ops", results.length);
    m.put("found", found.size());
    m.put("successRate", Math.round(found.size() * 10000.0 / results.length) / 10000.0);
    m.put("timedOut", c.get("timedOut"));
    m.put("errors", c.get("errors"));
    m.put("foundLatencyMs", Stats.latency(found));
    m.put("doneLatencyMs", Stats.latency(done));
    copy(c, m);
    firstError(m);
    m.put("foundSamplesMs", found.stream().map(Stats::round).toList());
    return m;
  }

  private void copy(Map<String, Object> c, Map<String, Object> m) {
    for (String k : List.of("msgsPerOp", "wallMs", "opsPerSec", "cpu", "datagramsPerOp")) {
      m.put(k, c.get(k));
    }
  }

  private void firstError(Map<String, Object> m) {
    for (String e : errors) {
      if (e != null) {
        m.put("firstError", e);
        return;
      }
    }
  }
}
