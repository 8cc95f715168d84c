# Reference values for workbench.poverty and workbench.profile, from laeken and survey on
# laeken's eusilc (the same extract as tests/reference/inequality/eusilc.csv.gz).
#
# Run from the repository root:  Rscript tests/reference/poverty/make_reference.R
# Writes reference.csv next to this script: measure, domain, estimate, se, source.
#
# The poverty line is laeken's at-risk-of-poverty threshold (60% of the weighted median,
# laeken::arpt), then held FIXED: the SEs are those of a fixed line (svymean/svytotal).
#
# Designs:
#   des     svydesign(ids = ~rb030, strata = ~db040, weights = ~rb050, data = eusilc)  persons
#   des_pos the same on eqIncome > 0 (Watts takes logs; eusilc has 3 zero incomes)
#   des_hh  svydesign(ids = ~db030, strata = ~db040, weights = ~db090, data = eusilc)
#           persons clustered in households: the workbench reproduces it from one row per
#           household with hhsize = hsize (person weighting).

suppressPackageStartupMessages({
  library(laeken)
  library(survey)
})

args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))

data(eusilc)
des <- svydesign(ids = ~rb030, strata = ~db040, weights = ~rb050, data = eusilc)
y <- eusilc$eqIncome
w <- eusilc$rb050
region <- as.character(eusilc$db040)
regions <- sort(unique(region))
everyone <- rep(TRUE, length(y))

rows <- list()
add <- function(measure, domain, estimate, se, source) {
  rows[[length(rows) + 1]] <<- data.frame(measure = measure, domain = domain,
                                          estimate = sprintf("%.17g", estimate),
                                          se = sprintf("%.17g", se), source = source)
}
lin_se <- function(z, in_dom, d = des) {
  v <- numeric(nrow(d$variables))
  v[in_dom] <- z
  d$variables$lin__ <- v
  as.numeric(SE(svytotal(~lin__, d)))
}

# ---- laeken's at-risk-of-poverty rate and threshold
a <- arpr("eqIncome", weights = "rb050", breakdown = "db040", data = eusilc)
z <- a$threshold
add("arpt", "", z, 0, "laeken::arpt (60% of weighted median)")
add("arpr", "", a$value / 100, 0, "laeken::arpr")
for (r in regions) add("arpr", r, a$valueByStratum$value[a$valueByStratum$stratum == r] / 100, 0,
                       "laeken::arpr(breakdown=db040)")

# ---- FGT at the fixed line: svymean of g = 1[y < z] ((z - y) / z)^alpha
fgt_g <- function(y, alpha) ifelse(y < z, ((z - y) / z)^alpha, 0)
for (alpha in c(0, 0.5, 1, 2)) {
  des <- update(des, g__ = fgt_g(eqIncome, alpha))
  m <- svymean(~g__, des)
  name <- sprintf("fgt%s", format(alpha))
  add(name, "", coef(m), SE(m), "svymean(~g, des)")
  b <- svyby(~g__, ~db040, des, svymean)
  for (r in regions) add(name, r, coef(b)[r], SE(b)[regions == r], "svyby(~g, ~db040, des, svymean)")
}
des <- update(des, poor__ = as.numeric(eqIncome < z))
tp <- svytotal(~poor__, des)
add("number_poor", "", coef(tp), SE(tp), "svytotal(~poor, des)")
b <- svyby(~poor__, ~db040, des, svytotal)
for (r in regions) add("number_poor", r, coef(b)[r], SE(b)[regions == r], "svyby(~poor, ~db040, des, svytotal)")

# ---- Watts on positive incomes
pos <- eusilc[eusilc$eqIncome > 0, ]
des_pos <- svydesign(ids = ~rb030, strata = ~db040, weights = ~rb050, data = pos)
des_pos <- update(des_pos, watts__ = ifelse(eqIncome < z, log(z / eqIncome), 0))
m <- svymean(~watts__, des_pos)
add("watts", "", coef(m), SE(m), "svymean(~1[y<z] log(z/y), des_pos)")
b <- svyby(~watts__, ~db040, des_pos, svymean)
for (r in regions) add("watts", r, coef(b)[r], SE(b)[regions == r], "svyby(~watts, ~db040, des_pos, svymean)")

# ---- Sen and Sen-Shorrocks-Thon: points from laeken::gini; SEs from the chain-rule
# linearization (see src/workbench/poverty/sen.py) through svytotal
gini_lin <- function(y, w) {
  if (length(y) == 0 || sum(w * y) == 0) return(list(G = 0, z = numeric(length(y))))
  o <- order(y); ys <- y[o]; ws <- w[o]
  N <- sum(ws); T <- sum(ws * ys); C <- cumsum(ws); Cy <- cumsum(ws * ys)
  G <- (2 * sum(ws * ys * C) - sum(ws^2 * ys)) / (N * T) - 1
  zz <- (2 * (C * ys - Cy) + T - N * ys - G * (T + N * ys)) / (N * T)
  list(G = G, z = zz[order(o)])
}
sen_sst <- function(y, w) {
  N <- sum(w); poor <- y < z; gap <- ifelse(poor, (z - y) / z, 0)
  P0 <- sum(w * poor) / N; P1 <- sum(w * gap) / N
  z0 <- (poor - P0) / N; z1 <- (gap - P1) / N
  gp <- gini_lin(y[poor], w[poor])
  stopifnot(abs(gp$G - gini(y[poor], w[poor])$value / 100) < 1e-12)
  zg <- numeric(length(y)); zg[poor] <- gp$z
  gg <- gini_lin(gap, w)
  stopifnot(abs(gg$G - gini(gap, w)$value / 100) < 1e-12)
  list(sen = P1 + gp$G * (P0 - P1), z_sen = z1 + gp$G * (z0 - z1) + (P0 - P1) * zg,
       sst = P1 * (1 + gg$G), z_sst = (1 + gg$G) * z1 + P1 * gg$z)
}
s <- sen_sst(y, w)
add("sen", "", s$sen, lin_se(s$z_sen, everyone), "P1 + laeken::gini(poor) (P0 - P1); svytotal(z)")
add("sst", "", s$sst, lin_se(s$z_sst, everyone), "P1 (1 + laeken::gini(gaps)); svytotal(z)")
for (r in regions) {
  i <- region == r
  s <- sen_sst(y[i], w[i])
  add("sen", r, s$sen, lin_se(s$z_sen, i), "P1 + laeken::gini(poor) (P0 - P1); svytotal(z)")
  add("sst", r, s$sst, lin_se(s$z_sst, i), "P1 (1 + laeken::gini(gaps)); svytotal(z)")
}

# ---- Person weighting from a household file: persons clustered in households
des_hh <- svydesign(ids = ~db030, strata = ~db040, weights = ~db090, data = eusilc)
des_hh <- update(des_hh, poor__ = as.numeric(eqIncome < z))
m <- svymean(~poor__, des_hh)
add("fgt0_households", "", coef(m), SE(m), "svymean(~poor, ids = ~db030 design)")
b <- svyby(~poor__, ~db040, des_hh, svymean)
for (r in regions) add("fgt0_households", r, coef(b)[r], SE(b)[regions == r], "svyby(~poor, ~db040, des_hh, svymean)")

# ---- Poverty profile: poor minus non-poor, svyby(covmat = TRUE) + svycontrast
des <- update(des, poor__ = factor(eqIncome < z, levels = c(FALSE, TRUE), labels = c("non_poor", "poor")),
              female__ = as.numeric(rb090 == "female"))
df <- degf(des)
for (v in c("age", "hsize", "female__")) {
  f <- as.formula(paste0("~", v))
  b <- svyby(f, ~poor__, des, svymean, covmat = TRUE)
  add(paste0("profile_", v, "_poor"), "", coef(b)["poor"], SE(b)[2], "svyby(~v, ~poor, des, svymean)")
  add(paste0("profile_", v, "_non_poor"), "", coef(b)["non_poor"], SE(b)[1], "svyby(~v, ~poor, des, svymean)")
  d <- svycontrast(b, c(non_poor = -1, poor = 1))
  add(paste0("profile_", v, "_difference"), "", coef(d), SE(d), "svycontrast(svyby(covmat=TRUE), poor - non_poor)")
  tt <- coef(d) / SE(d)
  add(paste0("profile_", v, "_p_value"), "", 2 * pt(-abs(tt), df), 0, sprintf("2 pt(-|t|, degf = %d)", df))
  b <- svyby(f, ~poor__ + db040, des, svymean, covmat = TRUE)
  for (r in regions) {
    cc <- setNames(numeric(length(coef(b))), names(coef(b)))
    cc[paste0("poor.", r)] <- 1
    cc[paste0("non_poor.", r)] <- -1
    d <- svycontrast(b, cc)
    add(paste0("profile_", v, "_difference"), r, coef(d), SE(d), "svycontrast(svyby(~v, ~poor + db040, covmat=TRUE))")
  }
}
d2 <- svyttest(age ~ poor__, des)
add("profile_age_svyttest", "", d2$estimate, d2$statistic, "svyttest(age ~ poor, des): estimate, t in se column")

write.csv(do.call(rbind, rows), file.path(here, "reference.csv"), row.names = FALSE)
cat("R", R.version$major, ".", R.version$minor, "; survey", as.character(packageVersion("survey")),
    "; laeken", as.character(packageVersion("laeken")), "\n")
