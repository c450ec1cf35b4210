/**
 * What the benchmarks share for reporting: {@link org.dialtone.bench.report.Stats}, the one percentile helper
 * (exact nearest-rank percentiles and the median), and {@link org.dialtone.bench.report.SvgChart}, the one SVG
 * plotter, and {@link org.dialtone.bench.report.NamedArgs}, the benchmarks' {@code --name value} command lines.
 * JSON is written and read with Jackson everywhere in the module.
 *
 * <p>Threats: none from outside (no input but the benchmarks' own measurements); the guarded-against failure is a
 * misleading figure, so percentiles are exact rather than bucketed and plots clamp to their axes instead of drawing
 * off the canvas. Text placed in an SVG is escaped.
 */
package org.dialtone.bench.report;
