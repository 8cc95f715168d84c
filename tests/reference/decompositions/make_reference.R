# Reference values for workbench.decompositions and workbench.growth_incidence: the SEs of
# changes between two independent survey rounds, from R's survey package.
#
# Run from the repository root (`make reference` runs it):
#   Rscript tests/reference/decompositions/make_reference.R
# Reads  tests/reference/inequality/eusilc.csv.gz  (laeken's eusilc, full precision, committed)
# Writes tests/reference/decompositions/reference.csv  (one row per estimate; %.17g)
#        tests/reference/decompositions/reference.json (software versions, date)
#
# Two rounds from eusilc (synthetic; see README.md): households with an odd db030 are
# round a, even ones round b; PSUs are 12 groups of households per region and round,
# psu = (db030 %/% 2) %% 12; regions (db040) are the strata. Round b's welfare is
# eqIncome * 1.12 below 12000 and * 1.03 above. One R design holds both rounds with
# round-specific strata and PSUs, so the rounds are independent samples and every
# variance it gives is V_a + V_b.
#
# Methods (column `method`):
#   svycontrast  smooth functions of totals: svytotal(~..., des) of the totals the estimate
#                is made of, then svycontrast(., list(name = <expression>)) (delta method by
#                symbolic derivatives). FGT alpha >= 1 at a mean-dependent line is a smooth
#                function of totals over the poor set, held at its estimate (the boundary
#                term is zero), so its linearization is exact. Independent of the
#                workbench's formulas for the derivatives.
#   influence    the influence function written out in R and svytotal() of it: the headcount
#                counterfactuals (alpha = 0; kernel density as convey's h_fun/densfun, copied
#                below because convey is not packaged for Debian), the Woodruff SEs of the
#                growth incidence curve and the rate of pro-poor growth.
#   jackknife    as.svrepdesign(des, type = "JKn") and withReplicates() recomputing the whole
#                decomposition (alpha >= 1): a different variance estimator (compared with a
#                tolerance).
#   bootstrap    the same with a Rao-Wu rescaling bootstrap (n_h - 1 PSUs drawn per stratum,
#                2000 replicates, as as.svrepdesign(type = "subbootstrap")) and survey's svrVar
#                (alpha = 0, where the jackknife is not consistent).

suppressPackageStartupMessages(library(survey))

here <- "tests/reference/decompositions"
if (!dir.exists(here)) stop("run from the repository root: Rscript ", here, "/make_reference.R")

num <- function(x) ifelse(is.na(x), "", sprintf("%.17g", as.numeric(x)))
write_atomic <- function(write, path) {
  tmp <- tempfile(tmpdir = dirname(path), fileext = ".tmp")
  write(tmp)
  if (!file.rename(tmp, path)) stop("could not write ", path)
}

# ---------------------------------------------------------------- the two rounds
eu <- read.csv(gzfile("tests/reference/inequality/eusilc.csv.gz"), stringsAsFactors = FALSE)
eu$round <- ifelse(eu$db030 %% 2 == 1, "a", "b")
eu$psu <- (eu$db030 %/% 2) %% 12
eu$y <- ifelse(eu$round == "a", eu$eqIncome,
               ifelse(eu$eqIncome < 12000, eu$eqIncome * 1.12, eu$eqIncome * 1.03))
LINE <- 10859.236  # laeken's arpt of eusilc (tests/reference/poverty), held fixed
low_line_regions <- c("Burgenland", "Carinthia", "Lower Austria", "Salzburg")
eu$zline <- ifelse(eu$db040 %in% low_line_regions, 10000, 11500)
eu$stratum <- paste(eu$round, eu$db040)
eu$cluster <- paste(eu$round, eu$db040, eu$psu)
des <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~rb050, data = eu)
des_a <- svydesign(ids = ~psu, strata = ~db040, weights = ~rb050, data = eu[eu$round == "a", ], nest = TRUE)
des_b <- svydesign(ids = ~psu, strata = ~db040, weights = ~rb050, data = eu[eu$round == "b", ], nest = TRUE)
stopifnot(degf(des) == degf(des_a) + degf(des_b), degf(des_a) == 99, degf(des_b) == 99)

w <- eu$rb050
y <- eu$y
in_a <- eu$round == "a"
in_b <- eu$round == "b"
regions <- sort(unique(eu$db040))
domains <- c(list(national = rep(TRUE, nrow(eu))), setNames(lapply(regions, function(r) eu$db040 == r), regions))
domain_label <- function(name) if (name == "national") "" else name

rows <- list()
add <- function(case, domain, component, estimate, se, method, source) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, domain = domain, component = component,
                                          estimate = num(estimate), se = num(se), method = method,
                                          source = source, stringsAsFactors = FALSE)
}

# svytotal of named variables on the two-round design, then svycontrast of expressions.
contrast <- function(vars, exprs) {
  d <- des
  for (v in names(vars)) d$variables[[v]] <- vars[[v]]
  tot <- svytotal(as.formula(paste("~", paste(names(vars), collapse = " + "))), d)
  svycontrast(tot, lapply(exprs, function(e) parse(text = e)[[1]]))
}
# SE of the total of an influence function (unweighted: svytotal multiplies by the weights).
if_se <- function(lin) {
  d <- des
  d$variables$lin__ <- lin
  as.numeric(SE(svytotal(~lin__, d)))
}

# ---------------------------------------------------------------- growth and redistribution
# Components as (P_a, P_b, C, D) combinations, C = P(mu_b, L_a), D = P(mu_a, L_b).
COMPONENTS <- list(
  base = list(fgt_a = c(1, 0, 0, 0), fgt_b = c(0, 1, 0, 0), change = c(-1, 1, 0, 0),
              growth = c(-1, 0, 1, 0), redistribution = c(-1, 0, 0, 1), residual = c(1, 1, -1, -1)),
  final = list(fgt_a = c(1, 0, 0, 0), fgt_b = c(0, 1, 0, 0), change = c(-1, 1, 0, 0),
               growth = c(0, 1, 0, -1), redistribution = c(0, 1, -1, 0), residual = c(-1, -1, 1, 1)),
  shapley = list(fgt_a = c(1, 0, 0, 0), fgt_b = c(0, 1, 0, 0), change = c(-1, 1, 0, 0),
                 growth = c(-0.5, 0.5, 0.5, -0.5), redistribution = c(-0.5, 0.5, -0.5, 0.5))
)
case_name <- function(kind, alpha, suffix = "") {
  f <- if (kind == "shapley") "shapley" else paste0("datt_ravallion.", kind)
  paste0(f, ".alpha", alpha, suffix)
}
fgt_g <- function(y, z, alpha) ifelse(y < z, ((z - y) / z)^alpha, 0)
# Welfare in multiples of each round's own line (real welfare): the means and the
# counterfactuals are of this, so a pair of lines in each round's prices gives real growth.
real <- function(za, zb) ifelse(in_a, y / za, y / zb)

# Everything the decomposition of one domain needs, for given weights.
decompose <- function(weights, dm, alpha, za, zb) {
  ia <- dm & in_a
  ib <- dm & in_b
  Na <- sum(weights[ia]); Nb <- sum(weights[ib])
  r <- real(za, zb)
  mu_a <- sum(weights[ia] * r[ia]) / Na
  mu_b <- sum(weights[ib] * r[ib]) / Nb
  s <- mu_a / mu_b
  t <- mu_b / mu_a
  P <- c(sum(weights[ia] * fgt_g(r[ia], 1, alpha)) / Na,
         sum(weights[ib] * fgt_g(r[ib], 1, alpha)) / Nb,
         sum(weights[ia] * fgt_g(r[ia], s, alpha)) / Na,
         sum(weights[ib] * fgt_g(r[ib], t, alpha)) / Nb)
  list(P = P, Na = Na, Nb = Nb, mu_a = mu_a, mu_b = mu_b, s = s, t = t, ia = ia, ib = ib)
}

# Exact linearization for alpha = 1, 2 through svycontrast on totals over the poor sets.
dr_svycontrast <- function(dm, alpha, za, zb, suffix, dom) {
  d <- decompose(w, dm, alpha, za, zb)
  ia <- d$ia * 1; ib <- d$ib * 1
  ra <- y / za; rb <- y / zb
  vars <- list(Na = ia, Ya = ia * ra, Nb = ib, Yb = ib * rb)
  for (k in 0:alpha) {
    vars[[paste0("Aa", k)]] <- ia * (ra < 1) * ra^k
    vars[[paste0("Ab", k)]] <- ib * (rb < 1) * rb^k
    vars[[paste0("Ca", k)]] <- ia * (ra < d$s) * ra^k
    vars[[paste0("Db", k)]] <- ib * (rb < d$t) * rb^k
  }
  fgt_expr <- function(X, N, c) {
    if (alpha == 1) sprintf("(%s0 - %s1 / %s) / %s", X, X, c, N)
    else sprintf("(%s0 - 2 * %s1 / %s + %s2 / %s^2) / %s", X, X, c, X, c, N)
  }
  S <- "((Ya / Na) / (Yb / Nb))"
  Tt <- "((Yb / Nb) / (Ya / Na))"
  parts <- c(fgt_expr("Aa", "Na", "1"), fgt_expr("Ab", "Nb", "1"), fgt_expr("Ca", "Na", S),
             fgt_expr("Db", "Nb", Tt))
  for (kind in names(COMPONENTS)) {
    comps <- COMPONENTS[[kind]]
    exprs <- lapply(comps, function(cf) {
      terms <- sprintf("(%s) * (%s)", cf[cf != 0], parts[cf != 0])
      paste(terms, collapse = " + ")
    })
    con <- contrast(vars, exprs)
    est <- coef(con)
    direct <- sapply(comps, function(cf) sum(cf * d$P))
    stopifnot(isTRUE(all.equal(unname(est), unname(direct), tolerance = 1e-12)))
    for (k in seq_along(comps))
      add(case_name(kind, alpha, suffix), dom, names(comps)[k], est[k], SE(con)[k], "svycontrast",
          "svycontrast(svytotal(~totals over the poor sets, des), FGT expressions)")
  }
}

# Influence functions for alpha = 0: the kernel density of y / z at the scale, as convey.
h_fun <- function(x, wt) {
  N <- sum(wt)
  sd <- sqrt((sum(wt * x * x) - sum(wt * x) * sum(wt * x) / N) / N)
  sd / exp(0.2 * log(N))
}
densfun <- function(x, wt, at) {
  h <- h_fun(x, wt)
  sum(wt * exp(-((at - x) / h)^2 / 2) / sqrt(2 * pi)) / (sum(wt) * h)
}
dr_influence <- function(dm, za, zb, suffix, dom) {
  d <- decompose(w, dm, 0, za, zb)
  ia <- d$ia; ib <- d$ib
  fa <- densfun(y[ia] / za[ia], w[ia], d$s)
  fb <- densfun(y[ib] / zb[ib], w[ib], d$t)
  r <- real(za, zb)
  u_mu_a <- ia * (r - d$mu_a) / d$Na
  u_mu_b <- ib * (r - d$mu_b) / d$Nb
  lin <- list(
    ia * ((r < 1) - d$P[1]) / d$Na,
    ib * ((r < 1) - d$P[2]) / d$Nb,
    ia * ((r < d$s) - d$P[3]) / d$Na + fa / d$mu_b * u_mu_a - fa * d$s / d$mu_b * u_mu_b,
    ib * ((r < d$t) - d$P[4]) / d$Nb + fb / d$mu_a * u_mu_b - fb * d$t / d$mu_a * u_mu_a
  )
  for (kind in names(COMPONENTS)) {
    comps <- COMPONENTS[[kind]]
    for (k in seq_along(comps)) {
      cf <- comps[[k]]
      u <- cf[1] * lin[[1]] + cf[2] * lin[[2]] + cf[3] * lin[[3]] + cf[4] * lin[[4]]
      add(case_name(kind, 0, suffix), dom, names(comps)[k], sum(cf * d$P), if_se(u), "influence",
          "svytotal of the influence function; density: convey h_fun/densfun on y / z")
    }
  }
}

z_fixed <- rep(LINE, nrow(eu))
for (name in names(domains)) {
  dom <- domain_label(name)
  dm <- domains[[name]]
  for (alpha in 1:2) dr_svycontrast(dm, alpha, z_fixed, z_fixed, "", dom)
  dr_influence(dm, z_fixed, z_fixed, "", dom)
}
# A column of household lines; a pair of lines (one per round).
dr_svycontrast(domains$national, 1, eu$zline, eu$zline, ".zline", "")
dr_influence(domains$national, eu$zline, eu$zline, ".zline", "")
z_pair_b <- rep(11300, nrow(eu))
dr_svycontrast(domains$national, 2, z_fixed, z_pair_b, ".pair", "")
dr_influence(domains$national, z_fixed, z_pair_b, ".pair", "")

# Replicate weights recomputing the whole decomposition of every domain at once (P_a, P_b,
# C, D of the national population and of each region, by rowsum).
region_of <- match(eu$db040, regions)
groupings <- list(rep(1L, nrow(eu)), region_of)  # national, then the regions in sorted order
fgt_fast <- function(y, z, alpha) (y < z) * pmax((z - y) / z, 0)^alpha
all_domains <- function(weights, alpha, za, zb) {
  do.call(rbind, lapply(groupings, function(g) {
    sums <- function(x) as.vector(rowsum(x, g, reorder = TRUE))
    wa <- weights * in_a; wb <- weights * in_b
    Na <- sums(wa); Nb <- sums(wb)
    r <- real(za, zb)
    mu_a <- sums(wa * r) / Na; mu_b <- sums(wb * r) / Nb
    s <- mu_a / mu_b; t <- mu_b / mu_a
    cbind(sums(wa * fgt_fast(r, 1, alpha)) / Na, sums(wb * fgt_fast(r, 1, alpha)) / Nb,
          sums(wa * fgt_fast(r, s[g], alpha)) / Na, sums(wb * fgt_fast(r, t[g], alpha)) / Nb)
  }))
}
for (k in seq_along(domains)) for (alpha in 0:2)  # the same numbers as the one-domain code
  stopifnot(isTRUE(all.equal(all_domains(w, alpha, z_fixed, z_fixed)[k, ],
                             decompose(w, domains[[k]], alpha, z_fixed, z_fixed)$P, tolerance = 1e-13)))
replicate_stat <- function(cases) function(weights, data) unlist(lapply(cases, function(cs) {
  P <- all_domains(weights, cs$alpha, cs$za, cs$zb)
  if (!cs$regions) P <- P[1, , drop = FALSE]
  unlist(lapply(seq_len(nrow(P)), function(k)
    unlist(lapply(COMPONENTS, function(comps) sapply(comps, function(cf) sum(cf * P[k, ]))))))
}))
replicate_rows <- function(cases, est, se, method, source) {
  i <- 0
  for (cs in cases) {
    doms <- if (cs$regions) names(domains) else "national"
    for (name in doms) for (kind in names(COMPONENTS)) for (comp in names(COMPONENTS[[kind]])) {
      i <- i + 1
      add(case_name(kind, cs$alpha, cs$suffix), domain_label(name), comp, est[i], se[i], method, source)
    }
  }
  stopifnot(i == length(est))
}
# alpha >= 1: jackknife (JKn: one PSU deleted at a time).
jk_cases <- list(list(alpha = 1, za = z_fixed, zb = z_fixed, suffix = "", regions = TRUE),
                 list(alpha = 2, za = z_fixed, zb = z_fixed, suffix = "", regions = TRUE),
                 list(alpha = 1, za = eu$zline, zb = eu$zline, suffix = ".zline", regions = FALSE))
jk <- withReplicates(as.svrepdesign(des, type = "JKn"), replicate_stat(jk_cases))
replicate_rows(jk_cases, coef(jk), SE(jk), "jackknife",
               "withReplicates(as.svrepdesign(des, type = 'JKn'), whole decomposition)")

# alpha = 0: the headcount at a mean-dependent line is not smooth enough for the jackknife
# (a deleted PSU moves the line by less than the spacing of the data near it; see README);
# the bootstrap is consistent there. The Rao-Wu rescaling bootstrap drawing n_h - 1 PSUs
# with replacement in each stratum (what as.svrepdesign(type = "subbootstrap") makes), 2000
# replicates, fixed seed, generated here and combined by survey's svrVar: svrepdesign() would
# spend minutes on the rank of the 14827 x 2000 weight matrix (its degrees of freedom).
set.seed(20261123)
B <- 2000
psu_of_row <- match(eu$cluster, unique(eu$cluster))
psu_stratum <- eu$stratum[!duplicated(eu$cluster)]
multipliers <- matrix(0, length(psu_stratum), B)
for (h in unique(psu_stratum)) {
  idx <- which(psu_stratum == h)
  n_h <- length(idx)
  draws <- matrix(sample.int(n_h, (n_h - 1) * B, replace = TRUE), n_h - 1, B)
  multipliers[idx, ] <- apply(draws, 2, tabulate, nbins = n_h) * n_h / (n_h - 1)
}
boot_cases <- list(list(alpha = 0, za = z_fixed, zb = z_fixed, suffix = "", regions = TRUE),
                   list(alpha = 0, za = eu$zline, zb = eu$zline, suffix = ".zline", regions = FALSE))
boot_stat <- replicate_stat(boot_cases)
boot_full <- boot_stat(w, eu)
thetas <- t(sapply(seq_len(B), function(r) boot_stat(w * multipliers[psu_of_row, r], eu)))
boot_var <- svrVar(thetas, scale = 1 / (B - 1), rscales = rep(1, B), mse = FALSE, coef = boot_full)
replicate_rows(boot_cases, boot_full, sqrt(diag(as.matrix(boot_var))), "bootstrap",
               "svrVar(2000 Rao-Wu bootstrap replicates (n_h - 1 PSUs), scale = 1 / (B - 1))")

# ---------------------------------------------------------------- Huppi-Ravallion
for (alpha in 0:2) {
  g <- fgt_g(y, z_fixed, alpha)
  vars <- list()
  for (k in seq_along(regions)) {
    dm <- eu$db040 == regions[k]
    vars[[sprintf("Na%d", k)]] <- (dm & in_a) * 1
    vars[[sprintf("Nb%d", k)]] <- (dm & in_b) * 1
    vars[[sprintf("Ta%d", k)]] <- (dm & in_a) * g
    vars[[sprintf("Tb%d", k)]] <- (dm & in_b) * g
  }
  K <- seq_along(regions)
  Na <- paste0("(", paste(sprintf("Na%d", K), collapse = " + "), ")")
  Nb <- paste0("(", paste(sprintf("Nb%d", K), collapse = " + "), ")")
  share_a <- sprintf("(Na%d / %s)", K, Na)
  share_b <- sprintf("(Nb%d / %s)", K, Nb)
  fgt_a <- sprintf("(Ta%d / Na%d)", K, K)
  fgt_b <- sprintf("(Tb%d / Nb%d)", K, K)
  exprs <- list()
  for (k in K) {
    dP <- sprintf("(%s - %s)", fgt_b[k], fgt_a[k])
    dn <- sprintf("(%s - %s)", share_b[k], share_a[k])
    e <- list(population_share_a = share_a[k], population_share_b = share_b[k], fgt_a = fgt_a[k],
              fgt_b = fgt_b[k], change = dP, intra_sectoral = sprintf("%s * %s", share_a[k], dP),
              population_shift = sprintf("%s * %s", fgt_a[k], dn), interaction = sprintf("%s * %s", dP, dn))
    names(e) <- paste0(k, ":", names(e))
    exprs <- c(exprs, e)
  }
  sum_of <- function(component) paste(sapply(K, function(k) exprs[[paste0(k, ":", component)]]), collapse = " + ")
  national <- list(
    fgt_a = paste(sprintf("%s * %s", share_a, fgt_a), collapse = " + "),
    fgt_b = paste(sprintf("%s * %s", share_b, fgt_b), collapse = " + "),
    change = sprintf("(%s) - (%s)", paste(sprintf("%s * %s", share_b, fgt_b), collapse = " + "),
                     paste(sprintf("%s * %s", share_a, fgt_a), collapse = " + ")),
    intra_sectoral = sum_of("intra_sectoral"), population_shift = sum_of("population_shift"),
    interaction = sum_of("interaction"))
  names(national) <- paste0("All:", names(national))
  con <- contrast(vars, c(exprs, national))
  labels <- c(rep(regions, each = 8), rep("All", 6))
  comps <- sub("^[^:]*:", "", names(coef(con)))
  for (k in seq_along(labels))
    add(paste0("huppi_ravallion.alpha", alpha), labels[k], comps[k], coef(con)[k], SE(con)[k],
        "svycontrast", "svycontrast(svytotal(~N_g, T_g of both rounds, des), Huppi-Ravallion terms)")
}

# ---------------------------------------------------------------- growth incidence
# Growth of the mean (and annualised over 2 years).
for (name in names(domains)) {
  dm <- domains[[name]]
  vars <- list(Na = (dm & in_a) * 1, Ya = (dm & in_a) * y, Nb = (dm & in_b) * 1, Yb = (dm & in_b) * y)
  con <- contrast(vars, list(mean_growth = "(Yb / Nb) / (Ya / Na) - 1",
                             mean_growth_years2 = "((Yb / Nb) / (Ya / Na))^(1 / 2) - 1"))
  add("mean_growth", domain_label(name), "mean_growth", coef(con)[1], SE(con)[1], "svycontrast",
      "svycontrast(svytotal(~Na + Ya + Nb + Yb, des), quote((Yb / Nb) / (Ya / Na) - 1))")
  add("mean_growth.years2", domain_label(name), "mean_growth", coef(con)[2], SE(con)[2], "svycontrast",
      "svycontrast(svytotal(~Na + Ya + Nb + Yb, des), quote(((Yb / Nb) / (Ya / Na))^(1 / 2) - 1))")
}

# Growth at each percentile: Woodruff SEs of svyquantile in each round, delta method.
# Rate of pro-poor growth: the Woodruff-implied influence function of each quantile,
# -(SE_W / SE(F)) (1[y <= q] - F) / N, averaged over the poor percentiles, svytotal.
woodruff <- function(design, keep, probs) {
  d <- if (is.null(keep)) design else design[keep, ]
  m <- svyquantile(~y, d, probs, interval.type = "mean", ci = TRUE, df = degf(design))$y
  list(q = m[, "quantile"], se = m[, "se"])
}
gic_case <- function(name, probs) {
  dm <- domains[[name]]
  keep_a <- if (name == "national") NULL else des_a$variables$db040 == name
  keep_b <- if (name == "national") NULL else des_b$variables$db040 == name
  qa <- woodruff(des_a, keep_a, probs)
  qb <- woodruff(des_b, keep_b, probs)
  R <- qb$q / qa$q
  se <- R * sqrt((qa$se / qa$q)^2 + (qb$se / qb$q)^2)
  for (j in seq_along(probs))
    add("growth_incidence", domain_label(name), format(100 * probs[j]), R[j] - 1, se[j], "influence",
        "svyquantile(~y, round design, interval.type = 'mean', ci = TRUE, df = degf); delta method")
  ia <- dm & in_a; ib <- dm & in_b
  H <- sum(w[ia] * (y[ia] < LINE)) / sum(w[ia])
  poor <- probs <= H
  quantile_if <- function(inside, q, se_w) {
    N <- sum(w[inside])
    F <- sum(w[inside] * (y[inside] <= q)) / N
    score <- inside * ((y <= q) - F) / N
    -(se_w / if_se(score)) * score
  }
  lin <- 0
  for (j in which(poor))
    lin <- lin + (-(R[j] / qa$q[j]) * quantile_if(ia, qa$q[j], qa$se[j])
                  + (R[j] / qb$q[j]) * quantile_if(ib, qb$q[j], qb$se[j])) / sum(poor)
  add("pro_poor_growth", domain_label(name), "pro_poor_growth", mean(R[poor] - 1), if_se(lin), "influence",
      "svytotal of the Woodruff-implied influence functions averaged over the poor percentiles")
}
gic_case("national", (1:99) / 100)
for (r in regions) gic_case(r, c(5, 10, 25, 50, 75, 90, 95) / 100)

# ---------------------------------------------------------------- write
write_atomic(function(tmp) write.csv(do.call(rbind, rows), tmp, row.names = FALSE), file.path(here, "reference.csv"))
versions <- sprintf('{"R": "%s", "survey": "%s", "date": "%s"}\n', paste(R.version$major, R.version$minor, sep = "."),
                    as.character(packageVersion("survey")), format(Sys.Date()))
write_atomic(function(tmp) writeLines(versions, tmp, sep = ""), file.path(here, "reference.json"))
cat(versions)
