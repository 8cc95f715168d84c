# R side of benchmarks/estimation.py: the same estimates with R's survey (and laeken for the Gini).
#
# Usage: Rscript benchmarks/r/estimation.R DIR LINE REPEAT
#   DIR holds n.txt (number of rows) and one little-endian binary file per column, written by
#   estimation.py: gov, urban, stratum, psu (int32) and weight, welfare (float64). Binary columns
#   carry the exact doubles, so both sides estimate on identical data.
# Writes DIR/r_estimates.csv (measure, gov, urban, estimate, se; gov = urban = -1 nationally)
# and DIR/r_timings.csv (step, rep, seconds: elapsed wall-clock, cpu: user + system, from system.time).
#
# Timed, as one user of R's survey would do it (the fastest idiomatic form: all four variables in
# one call, so svyby walks the 36 domains once):
#   the FGT indicator columns, svydesign(ids = ~psu, strata = ~stratum, weights = ~weight),
#   svymean(~fgt0 + fgt1 + fgt2 + welfare) and svyby(same, ~gov + urban, svymean).
# Timed separately: laeken::gini(welfare, weights, breakdown = gov x urban), point estimates only
# (R's survey has no Gini; convey, which has svygini, is not installed here).

suppressPackageStartupMessages({
  library(survey)
  library(laeken)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) stop("usage: Rscript estimation.R DIR LINE REPEAT")
dir <- args[1]
line <- as.numeric(args[2])
repeats <- as.integer(args[3])

n <- as.integer(readLines(file.path(dir, "n.txt")))
column <- function(name, what, size) {
  con <- file(file.path(dir, paste0(name, ".bin")), "rb")
  on.exit(close(con))
  readBin(con, what, n = n, size = size, endian = "little")
}
data <- data.frame(
  gov = column("gov", "integer", 4L),
  urban = column("urban", "integer", 4L),
  stratum = column("stratum", "integer", 4L),
  psu = column("psu", "integer", 4L),
  weight = column("weight", "double", 8L),
  welfare = column("welfare", "double", 8L)
)

survey_work <- function(d) {
  d$fgt0 <- as.numeric(d$welfare < line)
  d$fgt1 <- pmax(line - d$welfare, 0) / line
  d$fgt2 <- d$fgt1^2
  des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, data = d)
  national <- svymean(~fgt0 + fgt1 + fgt2 + welfare, des)
  domains <- svyby(~fgt0 + fgt1 + fgt2 + welfare, ~gov + urban, des, svymean)
  list(national = national, domains = domains)
}

gini_work <- function(d) {
  national <- gini(d$welfare, weights = d$weight)$value
  by <- gini(d$welfare, weights = d$weight, breakdown = paste(d$gov, d$urban, sep = "_"))$valueByStratum
  list(national = national, domains = by)
}

timed <- function(step, r, t) {
  data.frame(step = step, rep = r, seconds = t[["elapsed"]], cpu = t[["user.self"]] + t[["sys.self"]])
}
timings <- NULL
for (r in seq_len(repeats)) {
  gc()
  timings <- rbind(timings, timed("survey", r, system.time(res <- survey_work(data))))
  gc()
  timings <- rbind(timings, timed("laeken_gini", r, system.time(g <- gini_work(data))))
}

vars <- c("fgt0", "fgt1", "fgt2", "welfare")
measure <- c(fgt0 = "fgt0", fgt1 = "fgt1", fgt2 = "fgt2", welfare = "mean")
nat <- res$national
dom <- res$domains
out <- rbind(
  data.frame(measure = measure[vars], gov = -1L, urban = -1L,
             estimate = as.numeric(coef(nat)[vars]), se = as.numeric(SE(nat)[vars])),
  do.call(rbind, lapply(vars, function(v) data.frame(
    measure = measure[[v]], gov = dom$gov, urban = dom$urban,
    estimate = dom[[v]], se = dom[[paste0("se.", v)]]))),
  data.frame(measure = "gini", gov = -1L, urban = -1L, estimate = g$national / 100, se = NA),
  data.frame(measure = "gini",
             gov = as.integer(sub("_.*", "", g$domains$stratum)),
             urban = as.integer(sub(".*_", "", g$domains$stratum)),
             estimate = g$domains$value / 100, se = NA)
)
write.csv(out, file.path(dir, "r_estimates.csv"), row.names = FALSE)
write.csv(timings, file.path(dir, "r_timings.csv"), row.names = FALSE)
cat(sprintf("R %s, survey %s, laeken %s\n", getRversion(), packageVersion("survey"),
            packageVersion("laeken")), file = file.path(dir, "r_versions.txt"))
