# Reference values for workbench.inequality, from laeken and survey on laeken's eusilc.
#
# Run from the repository root:  Rscript tests/reference/inequality/make_reference.R
# Writes, next to this script:
#   eusilc.csv.gz  the columns of laeken's eusilc the tests use (full double precision)
#   reference.csv  measure, domain, estimate, se, source
#
# Design (as in convey's examples): persons are the PSUs, regions the strata,
#   svydesign(ids = ~rb030, strata = ~db040, weights = ~rb050, data = eusilc)
#
# Points come from laeken (gini, qsr) or, for measures laeken lacks (Theil, MLD,
# Atkinson, Palma, decile shares), from direct per-domain R formulas. SEs are
# survey::svytotal of the linearized variable, padded with zeros outside the
# domain (the full design is kept): this checks the workbench's vectorised
# sorting, domain bookkeeping and design variance against independent R code.
# The linearized variables themselves are checked in Python against a
# numerical derivative of each estimator with respect to the PSU weights.

suppressPackageStartupMessages({
  library(laeken)
  library(survey)
})

args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))

data(eusilc)
cols <- c("db030", "hsize", "db040", "rb030", "age", "rb090", "pl030", "eqIncome", "rb050")
out <- eusilc[, cols]
out[] <- lapply(out, function(x) if (is.double(x)) sprintf("%.17g", x) else as.character(x))
con <- gzfile(file.path(here, "eusilc.csv.gz"), "w")
write.csv(out, con, row.names = FALSE, na = "")
close(con)

des <- svydesign(ids = ~rb030, strata = ~db040, weights = ~rb050, data = eusilc)
y <- eusilc$eqIncome
w <- eusilc$rb050
region <- as.character(eusilc$db040)
regions <- sort(unique(region))

rows <- list()
add <- function(measure, domain, estimate, se, source) {
  rows[[length(rows) + 1]] <<- data.frame(measure = measure, domain = domain,
                                          estimate = sprintf("%.17g", estimate),
                                          se = sprintf("%.17g", se), source = source)
}
# SE of a linearized variable z (defined within the domain `in_dom`): svytotal of w-free z.
lin_se <- function(z, in_dom, d = des) {
  v <- numeric(nrow(d$variables))
  v[in_dom] <- z
  d$variables$lin__ <- v
  as.numeric(SE(svytotal(~lin__, d)))
}

# ---- Gini: laeken point; Langel & Tille (2013) linearized variable of laeken's estimator
gini_lin <- function(y, w) {
  o <- order(y); ys <- y[o]; ws <- w[o]
  N <- sum(ws); T <- sum(ws * ys); C <- cumsum(ws); Cy <- cumsum(ws * ys)
  G <- (2 * sum(ws * ys * C) - sum(ws^2 * ys)) / (N * T) - 1
  z <- (2 * (C * ys - Cy) + T - N * ys - G * (T + N * ys)) / (N * T)
  list(G = G, z = z[order(o)])
}
# convey 1.x (CalcGini, CalcGini_IF): Osier's estimator sum((2C - 1) w y) / (N T) - 1 and its
# linearization, written out without convey's contrastinf (convey is not in Debian).
convey_gini_lin <- function(y, w) {
  o <- order(y); ys <- y[o]; ws <- w[o]
  N <- sum(ws); T <- sum(ws * ys); C <- cumsum(ws); Cy <- cumsum(ws * ys)
  T1 <- sum(C * ys * ws); lin_T1 <- T - Cy + ys * ws + C * ys
  G <- (2 * T1 - T) / (T * N) - 1
  z <- (2 * lin_T1 - ys - (G + 1) * (ys * N + T)) / (T * N)
  list(G = G, z = z[order(o)])
}
g <- gini("eqIncome", weights = "rb050", breakdown = "db040", data = eusilc)
lg <- gini_lin(y, w)
add("gini", "", g$value / 100, lin_se(lg$z, rep(TRUE, length(y))), "laeken::gini; svytotal(Langel-Tille z)")
cg <- convey_gini_lin(y, w)
add("gini_convey", "", cg$G, lin_se(cg$z, rep(TRUE, length(y))), "convey CalcGini/CalcGini_IF transcribed")
for (r in regions) {
  i <- region == r
  lz <- gini_lin(y[i], w[i])
  add("gini", r, g$valueByStratum$value[g$valueByStratum$stratum == r] / 100, lin_se(lz$z, i),
      "laeken::gini(breakdown=db040); svytotal(Langel-Tille z)")
}

# ---- Quintile share ratio: laeken point; density-free linearization of T(q_p)
share_parts <- function(y, w, p) {
  q <- weightedQuantile(y, w, probs = p)
  below <- y <= q
  list(t = sum(w[below] * y[below]), infl = ifelse(below, y - q, 0) + p * q)
}
top_bottom <- function(y, w, top, bottom) {
  a <- share_parts(y, w, top); b <- share_parts(y, w, bottom)
  T <- sum(w * y); R <- (T - a$t) / b$t
  list(R = R, z = ((y - a$infl) - R * b$infl) / b$t)
}
qs <- qsr("eqIncome", weights = "rb050", breakdown = "db040", data = eusilc)
tb <- top_bottom(y, w, 0.8, 0.2)
stopifnot(abs(tb$R / qs$value - 1) < 1e-12)
add("s80s20", "", qs$value, lin_se(tb$z, rep(TRUE, length(y))), "laeken::qsr; svytotal(z)")
for (r in regions) {
  i <- region == r
  tz <- top_bottom(y[i], w[i], 0.8, 0.2)
  add("s80s20", r, qs$valueByStratum$value[qs$valueByStratum$stratum == r], lin_se(tz$z, i),
      "laeken::qsr(breakdown=db040); svytotal(z)")
}
pa <- top_bottom(y, w, 0.9, 0.4)
add("palma", "", pa$R, lin_se(pa$z, rep(TRUE, length(y))), "laeken::weightedQuantile shares; svytotal(z)")
for (r in regions) {
  i <- region == r
  pz <- top_bottom(y[i], w[i], 0.9, 0.4)
  add("palma", r, pz$R, lin_se(pz$z, i), "laeken::weightedQuantile shares; svytotal(z)")
}
T <- sum(w * y)
parts <- lapply(1:9 / 10, function(p) share_parts(y, w, p))
tot <- c(0, sapply(parts, `[[`, "t"), T)
infl <- c(list(rep(0, length(y))), lapply(parts, `[[`, "infl"), list(y))
for (k in 1:10) {
  s <- (tot[k + 1] - tot[k]) / T
  add(sprintf("decile_share%d", k), "", s, lin_se((infl[[k + 1]] - infl[[k]] - s * y) / T, rep(TRUE, length(y))),
      "laeken::weightedQuantile shares; svytotal(z)")
}

# ---- Generalized entropy and Atkinson: direct formulas (positive incomes only)
pos <- eusilc[eusilc$eqIncome > 0, ]
des_pos <- svydesign(ids = ~rb030, strata = ~db040, weights = ~rb050, data = pos)
yp <- pos$eqIncome; wp <- pos$rb050; rp <- as.character(pos$db040)
ge <- function(y, w, measure, eps = 1) {
  N <- sum(w); mu <- sum(w * y) / N; r <- y / mu
  if (measure == "theil") {
    v <- sum(w * r * log(r)) / N; z <- (r * (log(r) - v - 1) + 1) / N
  } else if (measure == "mld") {
    v <- -sum(w * log(r)) / N; z <- (r - 1 - log(r) - v) / N
  } else {
    if (eps == 1) { ede <- exp(sum(w * log(y)) / N); tr <- log(y) - sum(w * log(y)) / N }
    else { M <- sum(w * y^(1 - eps)) / N; ede <- M^(1 / (1 - eps)); tr <- (y^(1 - eps) / M - 1) / (1 - eps) }
    v <- 1 - ede / mu; z <- -(ede / mu) * (tr - (r - 1)) / N
  }
  list(v = v, z = z)
}
for (m in list(list("theil", 1), list("mld", 1), list("atkinson0.5", 0.5), list("atkinson1", 1),
               list("atkinson2", 2))) {
  kind <- if (startsWith(m[[1]], "atkinson")) "atkinson" else m[[1]]
  a <- ge(yp, wp, kind, m[[2]])
  add(m[[1]], "", a$v, lin_se(a$z, rep(TRUE, length(yp)), des_pos), "R formula on eqIncome > 0; svytotal(z)")
  for (r in regions) {
    i <- rp == r
    b <- ge(yp[i], wp[i], kind, m[[2]])
    add(m[[1]], r, b$v, lin_se(b$z, i, des_pos), "R formula on eqIncome > 0; svytotal(z)")
  }
}

# ---- Weighted percentiles (growth incidence curves)
q <- weightedQuantile(y, w, probs = 1:99 / 100)
for (k in 1:99) add(sprintf("percentile%d", k), "", q[k], 0, "laeken::weightedQuantile")

write.csv(do.call(rbind, rows), file.path(here, "reference.csv"), row.names = FALSE)
cat("R", R.version$major, ".", R.version$minor, "; survey", as.character(packageVersion("survey")),
    "; laeken", as.character(packageVersion("laeken")), "\n")
