# Reference values for workbench.survey, computed with R's survey package.
#
# Run from the repository root (`make reference` installs R and runs this):
#   Rscript tests/reference/survey/make_reference.R
# Reads  tests/reference/survey/nhanes2.csv.gz  (committed; see README.md)
# Writes tests/reference/survey/eusilc.csv.gz   (laeken's eusilc, full precision)
#        tests/reference/survey/survey_reference.csv   (one row per estimate)
#        tests/reference/survey/survey_reference.json  (software versions, date)
# Every number is written with 17 significant digits. Each row carries the exact
# R call that produced it (column `call`).

suppressPackageStartupMessages({
  library(survey)
  library(laeken)
})

here <- "tests/reference/survey"
if (!dir.exists(here)) stop("run from the repository root: Rscript ", here, "/make_reference.R")

# Only the design built to have lonely strata (nh_lonely) has any; "adjust" is
# what workbench calls lonely_psu = "centre". The others are checked below.
options(survey.lonely.psu = "adjust")

num <- function(x) ifelse(is.na(x), "", sprintf("%.17g", as.numeric(x)))

write_atomic <- function(write, path) {
  tmp <- tempfile(tmpdir = dirname(path), fileext = ".tmp")
  write(tmp)
  if (!file.rename(tmp, path)) stop("could not write ", path)
}

write_csv_gz <- function(df, path) {
  write_atomic(function(tmp) {
    con <- gzfile(tmp, "w")
    write.csv(df, con, row.names = FALSE, na = "")
    close(con)
  }, path)
}

# ---------------------------------------------------------------- the data
nh_data <- read.csv(gzfile(file.path(here, "nhanes2.csv.gz")))
# Categorical variables as factors with fixed levels: svymean(~factor(x)) inside svyby
# would drop the levels absent from a domain (and fail when only one is left).
nh_data$race <- factor(nh_data$race)
nh_data$region <- factor(nh_data$region)
nh_data$diabetes_f <- factor(nh_data$diabetes)  # diabetes itself stays 0/1 for svyratio

# laeken's eusilc, written with full precision and read back, so that R and the
# Python tests see exactly the same numbers.
data(eusilc, package = "laeken")
eu_out <- data.frame(
  db030 = eusilc$db030, db040 = as.character(eusilc$db040), rb090 = as.character(eusilc$rb090),
  hsize = eusilc$hsize, age = eusilc$age, rb050 = num(eusilc$rb050),
  eqIncome = num(eusilc$eqIncome), py010n = num(eusilc$py010n)
)
write_csv_gz(eu_out, file.path(here, "eusilc.csv.gz"))
eu_data <- read.csv(gzfile(file.path(here, "eusilc.csv.gz")))
stopifnot(isTRUE(all.equal(eu_data$eqIncome, eusilc$eqIncome, tolerance = 0)))
eu_data$db040 <- factor(eu_data$db040)
eu_data$rb090 <- factor(eu_data$rb090)

# ------------------------------------------------------------- the designs
nh <- svydesign(ids = ~psuid, strata = ~stratid, weights = ~finalwgt, nest = TRUE, data = nh_data)
nh_zinc <- subset(nh, !is.na(zinc))
nh_diab <- subset(nh, !is.na(diabetes))

# Lonely strata: drop PSU 2 of strata 1, 10, 11, 18 and 32 (there is no stratum 19).
nh_lonely_data <- nh_data[!(nh_data$stratid %in% c(1, 10, 11, 18, 32) & nh_data$psuid == 2), ]
nh_lonely <- svydesign(ids = ~psuid, strata = ~stratid, weights = ~finalwgt, nest = TRUE,
                       data = nh_lonely_data)

# workbench's lonely_psu = "merge" rule (join the next stratum in sorted order, the
# last joins the one before, joins chain), written out by hand for these strata:
# {1, 2}, {10, 11, 12}, {18, 20}, {31, 32}.
merged <- c(`2` = 1, `11` = 10, `12` = 10, `20` = 18, `32` = 31)
nh_merged_data <- nh_lonely_data
hit <- as.character(nh_merged_data$stratid) %in% names(merged)
nh_merged_data$stratum_merged <- nh_merged_data$stratid
nh_merged_data$stratum_merged[hit] <- merged[as.character(nh_merged_data$stratid[hit])]
# PSUs stay those of the original strata (PSU 1 of stratum 1 is not PSU 1 of stratum 2).
nh_merged_data$psu_original <- paste(nh_merged_data$stratid, nh_merged_data$psuid)
nh_merged <- svydesign(ids = ~psu_original, strata = ~stratum_merged, weights = ~finalwgt,
                       data = nh_merged_data)

# A finite population correction (synthetic: NHANES II has none): 3 to 7 PSUs in
# the population of each stratum, of which 2 are sampled.
nh_fpc_data <- nh_data
nh_fpc_data$npsu <- 3 + nh_fpc_data$stratid %% 5
nh_fpc <- svydesign(ids = ~psuid, strata = ~stratid, weights = ~finalwgt, nest = TRUE,
                    fpc = ~npsu, data = nh_fpc_data)

eu <- svydesign(ids = ~db030, strata = ~db040, weights = ~rb050, data = eu_data)

lonely_count <- function(des) sum(table(des$strata[!duplicated(des$cluster[, 1]), 1]) == 1)
stopifnot(degf(nh_merged) == 57 - 26, lonely_count(nh) == 0, lonely_count(nh_merged) == 0, lonely_count(nh_fpc) == 0,
          lonely_count(eu) == 0, lonely_count(nh_lonely) == 5)

# Degrees of freedom used for every interval: those of the full design (workbench's
# convention; R's svyby would use each domain's own for svyquantile).
design_df <- c(nh = degf(nh), nh_zinc = degf(nh), nh_diab = degf(nh), nh_lonely = degf(nh_lonely),
               nh_merged = degf(nh_merged), nh_fpc = degf(nh_fpc), eu = degf(eu))

# ------------------------------------------------------------- recording
rows <- list()
emit <- function(case, design, call, statistic, variable, by, domain, estimate, se, ci_low, ci_high,
                 deff = NA, level = "", quantile = NA) {
  rows[[length(rows) + 1]] <<- data.frame(
    case = case, dataset = if (startsWith(design, "eu")) "eusilc" else "nhanes2", design = design,
    call = call, statistic = statistic, variable = variable, by = by, domain = domain,
    level = level, quantile = num(quantile), estimate = num(estimate), se = num(se),
    ci_low = num(ci_low), ci_high = num(ci_high), df = num(design_df[[design]]), deff = num(deff),
    stringsAsFactors = FALSE
  )
}
run <- function(call) eval(parse(text = call), envir = globalenv())
# Level of a proportion from R's coefficient name: "race2" -> "2".
level_of <- function(names, rvar) sub(paste0("^", rvar), "", names)

# svymean, svytotal, svyratio (also on a factor: proportions) on a whole design.
stat <- function(case, design, call, statistic, variable, rvar = variable) {
  obj <- run(call)
  ci <- confint(obj, df = design_df[[design]])
  est <- if (statistic == "ratio") as.vector(obj$ratio) else coef(obj)
  level <- if (statistic == "proportion") level_of(names(coef(obj)), rvar) else ""
  emit(case, design, call, statistic, variable, "", "", est, as.vector(SE(obj)),
       ci[, 1], ci[, 2], deff = as.vector(deff(obj)), level = level)
}

# The same through svyby: one row per domain (and level).
by_stat <- function(case, design, call, statistic, variable, by, rvar = variable) {
  b <- run(call)
  stats <- attr(b, "svyby")$variables
  nd <- nrow(b)
  ci <- confint(b, df = design_df[[design]])
  level <- if (statistic == "proportion") rep(level_of(stats, rvar), each = nd) else ""
  emit(case, design, call, statistic, variable, by, rep(rownames(b), times = length(stats)),
       as.vector(coef(b)), as.vector(as.matrix(SE(b))), ci[, 1], ci[, 2],
       deff = as.vector(as.matrix(deff(b))), level = level)
}

probs <- c(0.1, 0.5, 0.9)
quant_call <- function(variable, design_expr, design) {
  sprintf('svyquantile(~%s, %s, c(0.1, 0.5, 0.9), interval.type = "mean", ci = TRUE, df = %d)',
          variable, design_expr, design_df[[design]])
}

# svyquantile: the point, the Woodruff interval and R's SE (interval width / (2 t)).
quant <- function(case, design, design_expr, variable, by = "", domain = "", shown = NULL) {
  call <- quant_call(variable, design_expr, design)
  m <- run(call)[[variable]]
  emit(case, design, if (is.null(shown)) call else shown, "quantile", variable, by, domain,
       m[, "quantile"], m[, "se"],
       m[, 2], m[, 3], quantile = probs)
  invisible(m)
}

# svyby of svyquantile gives points and SEs but a symmetric confint(); the Woodruff
# interval of each domain comes from svyquantile on the domain, as svyby computes it
# (design[byfactor == level, ]), and the points and SEs are checked to agree.
by_quant <- function(case, design, variable, by) {
  call <- sprintf(paste0('svyby(~%s, ~%s, %s, svyquantile, quantiles = c(0.1, 0.5, 0.9), ',
                         'interval.type = "mean", ci = TRUE, df = %d)'),
                  variable, by, design, design_df[[design]])
  b <- run(call)
  des <- get(design)
  byfactor <- do.call("interaction", model.frame(as.formula(paste("~", by)), model.frame(des)))
  for (lab in rownames(b)) {
    dom_call <- sprintf('%s[byfactor == "%s", ]', design, lab)
    assign("byfactor", byfactor, envir = globalenv())
    m <- quant(case, design, dom_call, variable, by = by, domain = lab,
               shown = paste0(call, "; interval: ", quant_call(variable, dom_call, design)))
    from_by <- unlist(b[lab, paste0(variable, ".", probs)])
    se_by <- unlist(b[lab, paste0("se.", variable, ".", probs)])
    stopifnot(isTRUE(all.equal(unname(from_by), unname(m[, "quantile"]), tolerance = 0)),
              isTRUE(all.equal(unname(se_by), unname(m[, "se"]), tolerance = 1e-15)))
  }
}

# ------------------------------------------------------------- nhanes2
stat("nh.mean.highbp", "nh", "svymean(~highbp, nh, deff = TRUE)", "mean", "highbp")
stat("nh.total.highbp", "nh", "svytotal(~highbp, nh, deff = TRUE)", "total", "highbp")
stat("nh.mean.zinc", "nh_zinc", "svymean(~zinc, nh_zinc, deff = TRUE)", "mean", "zinc")
stat("nh.total.zinc", "nh_zinc", "svytotal(~zinc, nh_zinc, deff = TRUE)", "total", "zinc")
stat("nh.ratio.diabetes_highbp", "nh_diab", "svyratio(~diabetes, ~highbp, nh_diab, deff = TRUE)",
     "ratio", "diabetes/highbp")
stat("nh.proportion.race", "nh", "svymean(~race, nh, deff = TRUE)", "proportion", "race")
stat("nh.proportion.diabetes", "nh_diab", "svymean(~diabetes_f, nh_diab, deff = TRUE)",
     "proportion", "diabetes", rvar = "diabetes_f")
quant("nh.quantile.zinc", "nh_zinc", "nh_zinc", "zinc")

by_stat("nh.mean.highbp.region", "nh", "svyby(~highbp, ~region, nh, svymean, deff = TRUE)",
        "mean", "highbp", "region")
by_stat("nh.total.highbp.region", "nh", "svyby(~highbp, ~region, nh, svytotal, deff = TRUE)",
        "total", "highbp", "region")
by_stat("nh.mean.zinc.region", "nh_zinc", "svyby(~zinc, ~region, nh_zinc, svymean, deff = TRUE)",
        "mean", "zinc", "region")
by_stat("nh.ratio.diabetes_highbp.region", "nh_diab",
        "svyby(~diabetes, ~region, nh_diab, svyratio, denominator = ~highbp, deff = TRUE)",
        "ratio", "diabetes/highbp", "region")
by_stat("nh.proportion.race.region", "nh", "svyby(~race, ~region, nh, svymean, deff = TRUE)",
        "proportion", "race", "region")
by_quant("nh.quantile.zinc.region", "nh_zinc", "zinc", "region")

by_stat("nh.mean.highbp.race_region", "nh",
        "svyby(~highbp, ~race + region, nh, svymean, deff = TRUE)", "mean", "highbp", "race + region")
by_stat("nh.total.highbp.race_region", "nh",
        "svyby(~highbp, ~race + region, nh, svytotal, deff = TRUE)", "total", "highbp", "race + region")
by_stat("nh.proportion.diabetes.race_region", "nh_diab",
        "svyby(~diabetes_f, ~race + region, nh_diab, svymean, deff = TRUE)",
        "proportion", "diabetes", "race + region", rvar = "diabetes_f")
by_quant("nh.quantile.zinc.race_region", "nh_zinc", "zinc", "race + region")

# subset() domains
stat("nh.mean.highbp.subset_race2", "nh", "svymean(~highbp, subset(nh, race == 2), deff = TRUE)",
     "mean", "highbp")
stat("nh.proportion.region.subset_race2", "nh",
     "svymean(~region, subset(nh, race == 2), deff = TRUE)", "proportion", "region")
quant("nh.quantile.zinc.subset_race2", "nh_zinc", "subset(nh_zinc, race == 2)", "zinc")

# lonely PSUs, survey.lonely.psu = "adjust"
stat("nh_lonely.mean.highbp", "nh_lonely", "svymean(~highbp, nh_lonely, deff = TRUE)", "mean", "highbp")
stat("nh_lonely.total.highbp", "nh_lonely", "svytotal(~highbp, nh_lonely, deff = TRUE)",
     "total", "highbp")
stat("nh_lonely.proportion.race", "nh_lonely", "svymean(~race, nh_lonely, deff = TRUE)",
     "proportion", "race")
by_stat("nh_lonely.mean.highbp.region", "nh_lonely",
        "svyby(~highbp, ~region, nh_lonely, svymean, deff = TRUE)", "mean", "highbp", "region")
quant("nh_lonely.quantile.zinc", "nh_lonely", "subset(nh_lonely, !is.na(zinc))", "zinc")

# lonely PSUs merged (workbench rule, strata recoded by hand above)
stat("nh_merged.mean.highbp", "nh_merged", "svymean(~highbp, nh_merged, deff = TRUE)", "mean", "highbp")
stat("nh_merged.total.highbp", "nh_merged", "svytotal(~highbp, nh_merged, deff = TRUE)",
     "total", "highbp")
by_stat("nh_merged.mean.highbp.region", "nh_merged",
        "svyby(~highbp, ~region, nh_merged, svymean, deff = TRUE)", "mean", "highbp", "region")

# finite population correction
stat("nh_fpc.mean.highbp", "nh_fpc", "svymean(~highbp, nh_fpc, deff = TRUE)", "mean", "highbp")
stat("nh_fpc.total.highbp", "nh_fpc", "svytotal(~highbp, nh_fpc, deff = TRUE)", "total", "highbp")
stat("nh_fpc.proportion.race", "nh_fpc", "svymean(~race, nh_fpc, deff = TRUE)",
     "proportion", "race")
by_stat("nh_fpc.mean.highbp.region", "nh_fpc", "svyby(~highbp, ~region, nh_fpc, svymean, deff = TRUE)",
        "mean", "highbp", "region")
quant("nh_fpc.quantile.zinc", "nh_fpc", "subset(nh_fpc, !is.na(zinc))", "zinc")

# ------------------------------------------------------------- eusilc
stat("eu.mean.eqIncome", "eu", "svymean(~eqIncome, eu, deff = TRUE)", "mean", "eqIncome")
stat("eu.total.eqIncome", "eu", "svytotal(~eqIncome, eu, deff = TRUE)", "total", "eqIncome")
stat("eu.ratio.py010n_eqIncome", "eu",
     "svyratio(~py010n, ~eqIncome, subset(eu, !is.na(py010n)), deff = TRUE)", "ratio", "py010n/eqIncome")
stat("eu.proportion.rb090", "eu", "svymean(~rb090, eu, deff = TRUE)", "proportion", "rb090")
quant("eu.quantile.eqIncome", "eu", "eu", "eqIncome")

for (by in c("db040", "rb090")) {
  by_stat(paste0("eu.mean.eqIncome.", by), "eu",
          sprintf("svyby(~eqIncome, ~%s, eu, svymean, deff = TRUE)", by), "mean", "eqIncome", by)
  by_stat(paste0("eu.total.eqIncome.", by), "eu",
          sprintf("svyby(~eqIncome, ~%s, eu, svytotal, deff = TRUE)", by), "total", "eqIncome", by)
  by_quant(paste0("eu.quantile.eqIncome.", by), "eu", "eqIncome", by)
}
by_stat("eu.mean.eqIncome.db040_rb090", "eu",
        "svyby(~eqIncome, ~db040 + rb090, eu, svymean, deff = TRUE)", "mean", "eqIncome", "db040 + rb090")
by_stat("eu.proportion.rb090.db040", "eu", "svyby(~rb090, ~db040, eu, svymean, deff = TRUE)",
        "proportion", "rb090", "db040")
by_stat("eu.ratio.py010n_eqIncome.rb090", "eu",
        paste("svyby(~py010n, ~rb090, subset(eu, !is.na(py010n)), svyratio,",
              "denominator = ~eqIncome, deff = TRUE)"), "ratio", "py010n/eqIncome", "rb090")

# ------------------------------------------------------------- write
out <- do.call(rbind, rows)
write_atomic(function(tmp) write.csv(out, tmp, row.names = FALSE, na = ""),
             file.path(here, "survey_reference.csv"))
info <- sprintf(paste0('{\n  "date": "%s",\n  "R": "%s",\n  "survey": "%s",\n  "laeken": "%s",\n',
                       '  "options": {"survey.lonely.psu": "adjust"},\n  "rows": %d,\n  "cases": %d\n}\n'),
                format(Sys.Date()), R.version.string, packageVersion("survey"), packageVersion("laeken"),
                nrow(out), length(unique(out$case)))
write_atomic(function(tmp) writeLines(info, tmp, sep = ""), file.path(here, "survey_reference.json"))
cat("wrote", nrow(out), "reference rows in", length(unique(out$case)), "cases\n")
