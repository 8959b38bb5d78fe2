"""Calibrate the fiscal model's macro shocks and the rate pass-through to private borrowers from the store.

Two pure estimators, each taking a :class:`~geostress.data.store.Store` (or, for the building blocks, frames):

* :func:`estimate_shock_covariance`: the 5×5 *monthly* covariance (and its Cholesky factor) of the shocks of
  :class:`geostress.model.fiscal.MacroParams`, in the order of :data:`geostress.model.fiscal.SHOCKS`, from the
  residuals of a quarterly VAR(1) on real GDP growth and inflation (nominal GDP deflated by a measured price index,
  the GDP deflator by default, or PCE), the 3-month bill, the 10y − 3m term spread and a primary deficit share of
  GDP.
* :func:`estimate_pass_through`: least-squares maps from the 10-year Treasury yield to the 30-year mortgage rate
  and to Moody's Baa corporate yield.

All rates inside this module are decimals (0.05 = 5%), like the model's yields; the store's percent series are
divided by 100 when read.

References
----------
Lütkepohl, H. (2005), *New Introduction to Multiple Time Series Analysis*, Springer, ch. 3 (OLS estimation of a
VAR and its residual covariance).
Higham, N. J. (1988), "Computing a nearest symmetric positive semidefinite matrix", *Linear Algebra and its
Applications* 103, 103–118.
Working, H. (1960), "Note on the correlation of first differences of averages in a random chain", *Econometrica*
28(4), 916–918 (the variance of time-averaged random walks, behind the averaging factors used here).
Federal Reserve Bank of St. Louis, FRED series GDP, GDPDEF, PCEPI, TB3MS, GS10, FYGFDPUN, A091RC1Q027SBEA,
MORTGAGE30US, BAA, BAA10Y (BEA national accounts for GDP and the price indexes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geostress.data.store import Store
from geostress.errors import DataError
from geostress.model.fiscal import SHOCKS, MacroParams

#: Series the shock covariance needs.
SHOCK_SERIES: tuple[str, ...] = ("fred.gdp", "fred.tb3ms", "fred.gs10", "fred.fygfdpun", "fred.a091rc1q027sbea")
#: Fiscal-year series that set the size of the primary-balance shock (see :func:`primary_balance_news_variance`).
FISCAL_YEAR_SERIES: tuple[str, ...] = ("cbo.actual.deficit", "cbo.actual.net_interest", "cbo.actual.gdp")
#: Series the pass-through fits need (``fred.baa10y`` is optional: reference only).
PASS_THROUGH_SERIES: tuple[str, ...] = ("fred.mortgage30us", "fred.gs10", "fred.baa")
#: Price indexes that split nominal GDP growth into real growth and inflation (the VAR's default is the first).
PRICE_INDEXES: tuple[str, ...] = ("fred.gdpdef", "fred.pcepi")
#: Share of quarterly nominal GDP growth news attributed to real activity, used ONLY by the fallback
#: ``price_index=None`` (a store without a price index): an assumption the measured split replaces.
REAL_SHARE_DEFAULT = 0.8
#: Quarters dropped by default: the 2020 pandemic lockdown and rebound (2020Q1–2021Q2), a shutdown of output by
#: decree rather than a macro shock of the kind the gap model represents; one such quarter alone would double
#: the estimated nominal growth volatility.
EXCLUDE_DEFAULT: tuple[tuple[str, str], ...] = (("2020-01-01", "2021-06-30"),)


@dataclass(frozen=True, eq=False)
class ShockEstimate:
    """Monthly macro shock covariance estimated from quarterly history.

    Attributes
    ----------
    chol
        (5, 5) lower-triangular Cholesky factor of :attr:`covariance`; feed it to ``MacroParams(shock_chol=...)``.
    covariance
        (5, 5) monthly shock covariance, order (growth, inflation, short_rate, term_premium, primary_balance),
        in the model's units (decimal log gap level; decimal annual rates; decimal share of GDP at annual rate).
    method
        One line saying how it was estimated.
    sample
        Quarters of the VAR's dependent observations, ``"YYYY-MM..YYYY-MM"`` (months of the first and last
        quarter ends).
    n_obs
        Number of quarterly observations in the regression (after exclusions).
    quarterly_residual_std
        Standard deviation of each VAR equation's residual, in the VAR's units: ``real_growth`` and ``inflation``
        (quarterly log changes, not annualised; ``nominal_growth`` instead with the fallback ``price_index=None``),
        ``short_rate``, ``term_spread`` (decimal) and ``primary_deficit_share``.
    shocks
        Names of the five shocks (the model's order).
    """

    chol: np.ndarray
    covariance: np.ndarray
    method: str
    sample: str
    n_obs: int
    quarterly_residual_std: dict[str, float]
    shocks: tuple[str, ...] = field(default=SHOCKS)

    @property
    def std(self) -> dict[str, float]:
        """Monthly shock standard deviations by shock name."""
        return dict(zip(self.shocks, np.sqrt(np.diag(self.covariance)).tolist(), strict=True))

    def stationary_std(self, macro: MacroParams | None = None) -> dict[str, float]:
        """Diagnostic: s.d. of each model deviation under its own shock alone, ``σ / √(1 − ρ²)``.

        Ignores the model's cross-feedbacks (IS curve, Phillips curve, policy rule); useful to judge whether a
        monthly shock size is plausible for the persistence it is paired with.
        """
        macro = macro or MacroParams()
        rhos = [macro.rho_gap, macro.rho_inflation, macro.rho_policy, macro.rho_term_premium,
                macro.rho_primary_balance]  # fmt: skip
        sd = np.sqrt(np.diag(self.covariance)) / np.sqrt(1.0 - np.square(rhos))
        return dict(zip(self.shocks, sd.tolist(), strict=True))

    @property
    def correlation(self) -> np.ndarray:
        """(5, 5) correlation matrix of the monthly shocks."""
        sd = np.sqrt(np.diag(self.covariance))
        safe = np.where(sd > 0, sd, 1.0)
        return self.covariance / np.outer(safe, safe)

    def macro_params(self, base: MacroParams | None = None) -> MacroParams:
        """``base`` (defaults when omitted) with this estimate's Cholesky factor as ``shock_chol``."""
        base = base or MacroParams()
        values = {name: getattr(base, name) for name in base.__dataclass_fields__}
        values["shock_chol"] = self.chol.copy()
        return MacroParams(**values)


@dataclass(frozen=True)
class LinearFit:
    """An OLS line ``y = intercept + slope · x`` in decimals (0.05 = 5%).

    Attributes
    ----------
    intercept, slope
        Coefficients (intercept in decimal rate units).
    resid_std
        Standard deviation of the residuals (decimal), with ``n − 2`` degrees of freedom.
    r2
        Coefficient of determination.
    n
        Number of monthly observations.
    sample
        ``"YYYY-MM..YYYY-MM"``.
    mean_spread
        Mean of ``y − x`` over the same sample (decimal).
    """

    intercept: float
    slope: float
    resid_std: float
    r2: float
    n: int
    sample: str
    mean_spread: float

    def __call__(self, x: np.ndarray | float) -> np.ndarray:
        """Apply the fit to decimal 10-year yields."""
        return self.intercept + self.slope * np.asarray(x, dtype=float)


@dataclass(frozen=True)
class PassThrough:
    """How the 10-year Treasury yield passes through to mortgage and corporate borrowing rates.

    Attributes
    ----------
    mortgage
        Monthly average of Freddie Mac's weekly 30-year fixed mortgage rate on GS10, in levels.
    baa
        Moody's seasoned Baa corporate yield on GS10, in levels.
    mortgage_spread_since_1971
        Mean 30y mortgage − 10y Treasury spread over every month since the mortgage survey began (April 1971),
        decimal.
    baa10y_spread_mean
        Mean of FRED's daily BAA10Y spread over whatever the store holds (reference only; ``nan`` if absent).
    baa10y_sample
        Sample of :attr:`baa10y_spread_mean` (``""`` if absent).
    """

    mortgage: LinearFit
    baa: LinearFit
    mortgage_spread_since_1971: float
    baa10y_spread_mean: float
    baa10y_sample: str

    def mortgage_rate(self, y10: np.ndarray | float) -> np.ndarray:
        """30-year mortgage rate implied by decimal 10-year Treasury yields ``y10``."""
        return self.mortgage(y10)

    def baa_rate(self, y10: np.ndarray | float) -> np.ndarray:
        """Baa corporate yield implied by decimal 10-year Treasury yields ``y10``."""
        return self.baa(y10)


# -- helpers ---------------------------------------------------------------------------------------------------
def _fmt_sample(periods: pd.Series | pd.DatetimeIndex) -> str:
    idx = pd.DatetimeIndex(periods)
    return f"{idx.min():%Y-%m}..{idx.max():%Y-%m}"


def _require(store: Store, ids: tuple[str, ...], purpose: str) -> pd.DataFrame:
    """Every observation of ``ids``; a :class:`DataError` naming the missing series otherwise."""
    known = set(store.series_ids())
    missing = [sid for sid in ids if sid not in known]
    if missing:
        raise DataError(
            f"{purpose} needs series {', '.join(missing)}, which the store under {store.home} does not hold; "
            "run `geostress data update fred` (or use a store that includes the embedded snapshot)"
        )
    return store.get(list(ids))


def _series(frame: pd.DataFrame, sid: str) -> pd.Series:
    """One series of a tidy frame as a float Series indexed by period."""
    rows = frame[frame["series_id"] == sid]
    if rows.empty:
        raise DataError(f"series {sid} has no observations in the requested window")
    return pd.Series(rows["value"].to_numpy(dtype=float), index=pd.DatetimeIndex(rows["period"]), name=sid)


def _monthly_mean(series: pd.Series) -> pd.Series:
    """Calendar-month average indexed by month end (drops months with no observation)."""
    out = series.groupby(series.index.to_period("M")).mean()
    out.index = out.index.to_timestamp(how="end").normalize()
    return out


def _quarterly_mean(series: pd.Series) -> pd.Series:
    """Calendar-quarter average indexed by quarter end, keeping only complete quarters of monthly data."""
    grouped = series.groupby(series.index.to_period("Q"))
    out = grouped.mean()[grouped.count() == 3]
    out.index = out.index.to_timestamp(how="end").normalize()
    return out


def _quarter_end(series: pd.Series) -> pd.Series:
    out = series.copy()
    out.index = series.index.to_period("Q").to_timestamp(how="end").normalize()
    return out


def averaging_factor(rho_a: float, rho_b: float) -> float:
    """Covariance of within-quarter news in the quarterly averages of two monthly AR(1)s per unit monthly covariance.

    A monthly shock in month ``m`` (1..3) of a quarter moves the quarter's average of an AR(1) with persistence
    ``ρ`` by ``a_m(ρ) = (1/3) Σ_{l=m}^{3} ρ^{l−m}``; the quarterly news covariance of two such processes with
    monthly shock covariance ``σ_ab`` is ``σ_ab · Σ_m a_m(ρ_a) a_m(ρ_b)``. For ``ρ → 1`` the factor is 14/9
    (a time-averaged random walk, Working 1960); for ``ρ = 0`` it is 1/3.

    Parameters
    ----------
    rho_a, rho_b
        Monthly persistences of the two processes.

    Returns
    -------
    float
        The factor ``Σ_m a_m(ρ_a) a_m(ρ_b)``.

    References
    ----------
    Working, H. (1960), *Econometrica* 28(4), 916–918.
    """
    a = np.array([1.0 + rho_a + rho_a**2, 1.0 + rho_a, 1.0]) / 3.0
    b = np.array([1.0 + rho_b + rho_b**2, 1.0 + rho_b, 1.0]) / 3.0
    return float(a @ b)


def nearest_psd(matrix: np.ndarray, floor: float = 1e-12) -> np.ndarray:
    """Nearest symmetric positive-definite matrix by eigenvalue clipping.

    Parameters
    ----------
    matrix
        Square matrix (symmetrised first).
    floor
        Smallest eigenvalue kept, relative to the largest, so the result has a Cholesky factor.

    Returns
    -------
    numpy.ndarray
        The symmetric matrix ``V diag(max(λ, floor·λ_max)) Vᵀ``; ``matrix`` itself (symmetrised) when it already
        satisfies the floor.

    References
    ----------
    Higham, N. J. (1988), *Linear Algebra Appl.* 103, 103–118.
    """
    sym = 0.5 * (matrix + matrix.T)
    values, vectors = np.linalg.eigh(sym)
    lowest = floor * max(float(values.max()), 0.0)
    if values.min() >= lowest and values.min() > 0:
        return sym
    fixed = (vectors * np.maximum(values, lowest)) @ vectors.T
    return 0.5 * (fixed + fixed.T)


# -- VAR data and estimation -------------------------------------------------------------------------------------
def quarterly_macro_frame(frame: pd.DataFrame, price_index: str | None = None) -> pd.DataFrame:
    """The quarterly VAR variables from a tidy store frame of :data:`SHOCK_SERIES` (and ``price_index``).

    Columns (decimals, indexed by quarter end):

    * with a ``price_index`` (``fred.gdpdef``, quarterly, or ``fred.pcepi``, monthly averaged by quarter):
      ``real_growth`` = ``Δ log GDP − Δ log P`` and ``inflation`` = ``Δ log P`` (quarterly, not annualised; with
      the GDP deflator ``real_growth`` is the growth of real GDP, since BEA defines the implicit deflator as
      nominal over real GDP); without one, ``nominal_growth`` = ``Δ log GDP``;
    * ``short_rate``: quarterly average of TB3MS;
    * ``term_spread``: quarterly average of GS10 − TB3MS (the term-premium proxy; the spread also moves with
      expected policy, which the model carries separately, so this overstates the term-premium shock somewhat);
    * ``primary_deficit_share``: ``(ΔFYGFDPUN − A091RC1Q027SBEA/4) / (GDP/4)``, i.e. the quarter's increase in
      debt held by the public less the quarter's federal interest payments (NIPA, SAAR/4), as a share of the
      quarter's GDP (SAAR/4): a primary-deficit-to-GDP ratio at an annual rate. It includes other means of
      financing (cash balance swings, credit programmes) and is not seasonally adjusted (the VAR has quarter
      dummies for that).

    Parameters
    ----------
    frame
        Tidy observations as returned by ``Store.get`` (columns ``series_id``, ``period``, ``value``).
    price_index
        Series id of the price index (one of :data:`PRICE_INDEXES`), or ``None`` for nominal growth only.

    Returns
    -------
    pandas.DataFrame
        One row per quarter where every variable is observed.

    References
    ----------
    BEA, NIPA Handbook ch. 4 (the implicit price deflator is nominal GDP over chained real GDP × 100).
    """
    gdp = _quarter_end(_series(frame, "fred.gdp"))
    debt = _quarter_end(_series(frame, "fred.fygfdpun"))
    interest = _quarter_end(_series(frame, "fred.a091rc1q027sbea"))
    tb3 = _series(frame, "fred.tb3ms") / 100.0
    gs10 = _series(frame, "fred.gs10") / 100.0
    tb3q = _quarterly_mean(_monthly_mean(tb3))
    spread_q = _quarterly_mean(_monthly_mean(gs10) - _monthly_mean(tb3)).dropna()
    columns: dict[str, pd.Series] = {}
    if price_index is None:
        columns["nominal_growth"] = np.log(gdp).diff()
    else:
        if price_index not in PRICE_INDEXES:
            raise DataError(f"price_index={price_index!r}: choose one of {', '.join(PRICE_INDEXES)}")
        raw = _series(frame, price_index)
        prices = _quarter_end(raw) if price_index == "fred.gdpdef" else _quarterly_mean(_monthly_mean(raw))
        inflation = np.log(prices).diff()
        columns["real_growth"] = np.log(gdp).diff() - inflation
        columns["inflation"] = inflation
    columns["short_rate"] = tb3q
    columns["term_spread"] = spread_q
    columns["primary_deficit_share"] = (debt.diff() - interest / 4.0) / (gdp / 4.0)
    return pd.DataFrame(columns).dropna()


def fit_var1(data: pd.DataFrame, *, exclude: tuple[tuple[str, str], ...] = ()) -> tuple[np.ndarray, pd.DataFrame]:
    """OLS VAR(1) with a constant, a linear trend and quarter-of-year dummies.

    Parameters
    ----------
    data
        Quarterly variables, one column each, indexed by consecutive quarter ends.
    exclude
        ``(start, end)`` date windows; an observation is dropped when its quarter or the lagged quarter falls in
        one.

    Returns
    -------
    coefficients
        (k, n) OLS coefficients (rows: constant, trend, three quarter dummies, then the lagged variables).
    residuals
        (T, n) residual frame indexed by the dependent observation's quarter end.

    References
    ----------
    Lütkepohl, H. (2005), *New Introduction to Multiple Time Series Analysis*, §3.2.
    """
    data = data.sort_index()
    periods = data.index.to_period("Q")
    consecutive = np.r_[False, (periods[1:] - periods[:-1]) == periods.freq]  # lag is the previous quarter
    dropped = np.zeros(len(data), dtype=bool)
    for lo, hi in exclude:
        inside = (data.index >= pd.Timestamp(lo)) & (data.index <= pd.Timestamp(hi))
        dropped |= inside | np.r_[False, inside[:-1]]
    keep = consecutive & ~dropped
    values = data.to_numpy(dtype=float)
    y = values[keep]
    lagged = values[np.flatnonzero(keep) - 1]
    t = np.flatnonzero(keep).astype(float)
    trend = (t - t.mean()) / max(len(data), 1)
    quarter = data.index.quarter.to_numpy()[keep]
    dummies = np.column_stack([(quarter == q).astype(float) for q in (2, 3, 4)])
    x = np.column_stack([np.ones(len(y)), trend, dummies, lagged])
    if len(y) <= x.shape[1] + 4:
        raise DataError(f"only {len(y)} usable quarters for a VAR(1) with {x.shape[1]} regressors; widen the window")
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = pd.DataFrame(y - x @ coef, index=data.index[keep], columns=data.columns)
    return coef, resid


def twelve_month_factor(rho: float) -> float:
    """:func:`averaging_factor` for a year: news variance of the 12-month average of a monthly AR(1) per unit shock.

    Parameters
    ----------
    rho
        Monthly persistence.

    Returns
    -------
    float
        ``Σ_{m=1}^{12} a_m²`` with ``a_m = (1/12) Σ_{l=m}^{12} ρ^{l−m}``.
    """
    a = np.array([sum(rho**h for h in range(13 - m)) for m in range(1, 13)]) / 12.0
    return float(a @ a)


def primary_balance_news_variance(
    frame: pd.DataFrame, *, start: str, end: str | None, exclude: tuple[tuple[str, str], ...]
) -> tuple[float, int]:
    """Variance of one-year-ahead news in the fiscal-year primary deficit share of GDP (CBO actuals).

    The primary deficit share is ``(−deficit − net interest) / GDP`` by fiscal year; an AR(1) with a constant and
    a linear trend is fitted by OLS over fiscal years ending in ``[start, end]``, dropping years that end inside
    (or whose previous year ends inside) an ``exclude`` window. Why not the quarterly proxy: quarterly changes in
    debt held by the public carry Treasury cash-balance swings and payment-timing noise (a residual s.d. of about
    3% of GDP a quarter) that reverse within months, while the model's primary-balance shock is persistent
    (ρ ≈ 0.98 a month); read as persistent news that noise would imply a stationary s.d. of the deficit share
    above 10% of GDP. Fiscal-year data average the timing noise away.

    Parameters
    ----------
    frame
        Tidy observations holding :data:`FISCAL_YEAR_SERIES`.
    start, end, exclude
        As in :func:`estimate_shock_covariance`.

    Returns
    -------
    variance
        Residual variance (``n − 3`` degrees of freedom), decimal share squared.
    n
        Fiscal years used.
    """
    deficit = _series(frame, "cbo.actual.deficit")
    net_interest = _series(frame, "cbo.actual.net_interest")
    gdp = _series(frame, "cbo.actual.gdp")
    share = ((-deficit - net_interest) / gdp).dropna().sort_index()
    share = share[share.index >= pd.Timestamp(start)]
    if end is not None:
        share = share[share.index <= pd.Timestamp(end)]
    years = share.index.year.to_numpy()
    values = share.to_numpy()
    keep = np.r_[False, np.diff(years) == 1]
    for lo, hi in exclude:
        # a fiscal year is hit when any of its months (Oct..Sep) overlaps the window
        fy_start = share.index - pd.DateOffset(years=1) + pd.Timedelta(days=1)
        hit = (share.index >= pd.Timestamp(lo)) & (fy_start <= pd.Timestamp(hi))
        keep &= ~hit & ~np.r_[False, hit[:-1]]
    idx = np.flatnonzero(keep)
    if len(idx) < 8:
        raise DataError(f"only {len(idx)} usable fiscal years of CBO actuals; widen the window")
    x = np.column_stack([np.ones(len(idx)), (years[idx] - years[idx].mean()) / 10.0, values[idx - 1]])
    coef, *_ = np.linalg.lstsq(x, values[idx], rcond=None)
    resid = values[idx] - x @ coef
    return float(resid @ resid / (len(idx) - x.shape[1])), len(idx)


def quarterly_to_monthly(
    quarterly_cov: np.ndarray, *, real_share: float = REAL_SHARE_DEFAULT, macro: MacroParams | None = None
) -> np.ndarray:
    """Map the quarterly VAR residual covariance to the model's 5×5 monthly shock covariance.

    Steps:

    1. **Real growth and inflation news.** With a measured price index the VAR's first two variables already are
       real growth and inflation (a (5, 5) ``quarterly_cov`` in the model's order: real growth, inflation, short
       rate, spread, primary deficit share) and nothing is split. Fallback, for a (4, 4) ``quarterly_cov`` whose
       first variable is *nominal* growth ``u`` (a store without a price index): split ``u`` into an output-gap
       part ``u_x = s·u + ε`` and a price-level part ``u_p = (1−s)·u − ε`` with ``ε`` independent of everything
       and ``Var ε = s(1−s)·Var u``, so the parts are uncorrelated and carry shares ``s`` / ``1−s`` of ``Var u``
       and of its covariances. ASSUMPTION (``s = real_share``, default 0.8); the measured split replaces it.
    2. **Units.** The gap news is the real growth news (a log-level change of the quarter's average gap). The
       model's inflation variable is a persistent annual rate (ρ ≈ 0.97 a month). A price-level surprise ``u_p``
       in one quarter raises year-on-year inflation by ``u_p`` for a year; we map it one-for-one to news about
       the persistent annual rate. (Reading it as news about the *annualised* quarterly rate, ``4·u_p``, would
       treat every quarterly price surprise as a lasting change of four times its size.) Rates, the spread and
       the deficit share are already quarterly averages of the model's monthly variables.
    3. **Time aggregation.** Each model variable is a monthly AR(1) in its own shock with persistence
       ``ρ_i`` (``MacroParams``); the one-quarter-ahead news in its quarterly average then has covariance
       ``Σ_q[i, j] = Σ_m[i, j] · f(ρ_i, ρ_j)`` (:func:`averaging_factor`, ≈14/9 for ρ near 1, against 3 for a
       point-in-time random walk), so ``Σ_m = Σ_q ⊘ F`` elementwise. This ignores the model's within-quarter
       cross-feedbacks (IS, Phillips and policy-rule responses are small over three months: e.g. the rule moves the
       policy rate by (1 − 0.95)·1.5 = 7.5% of an inflation deviation per month).

    Parameters
    ----------
    quarterly_cov
        (5, 5) covariance of (real_growth, inflation, short_rate, term_spread, primary_deficit_share) VAR
        residuals, or (4, 4) of (nominal_growth, short_rate, term_spread, primary_deficit_share) for the fallback.
    real_share
        ``s`` above, in (0, 1); used only for a (4, 4) ``quarterly_cov``.
    macro
        Persistences; :class:`MacroParams` defaults when omitted.

    Returns
    -------
    numpy.ndarray
        (5, 5) monthly covariance in the model's shock order, made positive definite by :func:`nearest_psd`.

    References
    ----------
    Working, H. (1960), *Econometrica* 28(4), 916–918.
    """
    quarterly_cov = np.asarray(quarterly_cov, dtype=float)
    macro = macro or MacroParams()
    if quarterly_cov.shape == (5, 5):
        news = quarterly_cov
    elif quarterly_cov.shape == (4, 4):
        if not 0.0 < real_share < 1.0:
            raise DataError(f"real_share={real_share} must lie strictly between 0 and 1")
        s = real_share
        # z = (u, short, spread, pb, ε) → shocks (x, π, short, tp, pb) = M z
        q = np.zeros((5, 5))
        q[:4, :4] = quarterly_cov
        q[4, 4] = s * (1.0 - s) * quarterly_cov[0, 0]
        m = np.zeros((5, 5))
        m[0, 0], m[0, 4] = s, 1.0
        m[1, 0], m[1, 4] = 1.0 - s, -1.0
        m[2, 1] = m[3, 2] = m[4, 3] = 1.0
        news = m @ q @ m.T
    else:
        raise DataError(f"quarterly covariance of shape {quarterly_cov.shape}: expected (5, 5) or (4, 4)")
    rhos = [macro.rho_gap, macro.rho_inflation, macro.rho_policy, macro.rho_term_premium, macro.rho_primary_balance]
    factor = np.array([[averaging_factor(a, b) for b in rhos] for a in rhos])
    return nearest_psd(news / factor)


def estimate_shock_covariance(
    store: Store,
    *,
    start: str = "1990-01-01",
    end: str | None = None,
    price_index: str | None = PRICE_INDEXES[0],
    real_share: float = REAL_SHARE_DEFAULT,
    exclude: tuple[tuple[str, str], ...] = EXCLUDE_DEFAULT,
    macro: MacroParams | None = None,
) -> ShockEstimate:
    """Monthly macro shock covariance for :class:`~geostress.model.fiscal.MacroParams` from quarterly history.

    A VAR(1) is fitted by OLS (``numpy.linalg.lstsq``) to five quarterly series built from the store
    (:func:`quarterly_macro_frame`): real GDP growth and inflation (nominal GDP split by a measured price index:
    the GDP deflator by default, or PCE), the 3-month bill, the 10y − 3m term spread and a primary-deficit share
    of GDP, with a constant, a linear trend (so growth is measured against its trend and the slow decline of rates
    since 1990 is not read as shocks) and quarter dummies (the deficit proxy is not seasonally adjusted). The
    residual covariance (``T − k`` degrees of freedom) is mapped to the model's five monthly shocks by
    :func:`quarterly_to_monthly` (time aggregation of monthly AR(1)s). ``price_index=None`` is the fallback for a
    store without a price index: a four-variable VAR on nominal growth whose news is split by the ASSUMED
    ``real_share``.

    Why VAR residuals rather than a block bootstrap of history: the model steps monthly and draws its shocks as
    ``chol @ z`` with ``z`` standard normal, so it needs a parametric monthly covariance; quarterly blocks of
    history cannot feed monthly steps without interpolating within quarters, which would invent the monthly
    dynamics, and bootstrapped levels would also carry history's own persistence on top of the model's AR terms.
    The VAR residuals are the part of each series not predicted by last quarter's state, which is what the
    model's innovations represent.

    The primary-balance shock keeps its correlations with the other shocks from the VAR but takes its variance
    from fiscal-year CBO actuals (:func:`primary_balance_news_variance`, converted with
    :func:`twelve_month_factor`): the quarterly debt-based proxy is dominated by cash-balance and timing noise
    that the model's persistent shock does not represent (rescaling one variable keeps the matrix PSD).

    Parameters
    ----------
    store
        The observation store (the embedded snapshot suffices).
    start, end
        Window of quarters used (quarter-end dates inside ``[start, end]``); ``end=None`` uses all data.
    price_index
        ``"fred.gdpdef"`` (default) or ``"fred.pcepi"``; ``None`` for the assumed split (fallback).
    real_share
        Share of nominal growth news attributed to the output gap, only with ``price_index=None`` (ASSUMPTION).
    exclude
        Date windows dropped from the regression; default the 2020Q1–2021Q2 pandemic quarters
        (:data:`EXCLUDE_DEFAULT`); pass ``()`` to keep them.
    macro
        Persistences used in the time aggregation; :class:`MacroParams` defaults when omitted.

    Returns
    -------
    ShockEstimate
        Monthly covariance, its Cholesky factor and diagnostics.

    Raises
    ------
    geostress.errors.DataError
        A required series is missing from the store, an unknown price index, or the window leaves too few
        quarters.

    References
    ----------
    Lütkepohl, H. (2005), *New Introduction to Multiple Time Series Analysis*, ch. 3.
    Higham, N. J. (1988), *Linear Algebra Appl.* 103, 103–118.
    BEA via FRED: GDPDEF (implicit price deflator), PCEPI (PCE chain-type price index).
    """
    if price_index is not None and price_index not in PRICE_INDEXES:
        raise DataError(f"price_index={price_index!r}: choose one of {', '.join(PRICE_INDEXES)} (or None)")
    if price_index is None and not 0.0 < real_share < 1.0:
        raise DataError(f"real_share={real_share} must lie strictly between 0 and 1")
    extra = () if price_index is None else (price_index,)
    frame = _require(store, SHOCK_SERIES + extra + FISCAL_YEAR_SERIES, "the macro shock covariance")
    data = quarterly_macro_frame(frame, price_index)
    data = data[data.index >= pd.Timestamp(start)]
    if end is not None:
        data = data[data.index <= pd.Timestamp(end)]
    if data.empty:
        raise DataError(f"no quarter between {start} and {end or 'the latest'} has every series of {SHOCK_SERIES}")
    coef, resid = fit_var1(data, exclude=exclude)
    dof = len(resid) - coef.shape[0]
    cov_q = resid.to_numpy().T @ resid.to_numpy() / dof
    cov_m = quarterly_to_monthly(cov_q, real_share=real_share, macro=macro)
    pb_var, n_fy = primary_balance_news_variance(frame, start=start, end=end, exclude=exclude)
    rho_pb = (macro or MacroParams()).rho_primary_balance
    scale = np.ones(5)
    scale[4] = np.sqrt(pb_var / twelve_month_factor(rho_pb) / cov_m[4, 4])
    cov_m = nearest_psd(cov_m * np.outer(scale, scale))
    chol = np.linalg.cholesky(cov_m)
    excluded = "; ".join(f"{lo}..{hi}" for lo, hi in exclude) or "none"
    if price_index is None:
        growth = f"nominal GDP growth (real share of nominal news {real_share:g}, assumption)"
    else:
        growth = f"real GDP growth and inflation (GDP / {price_index.removeprefix('fred.').upper()}, measured)"
    method = (
        f"quarterly VAR(1) OLS (const, trend, quarter dummies) on {growth}, TB3MS, GS10-TB3MS, "
        "(dFYGFDPUN - A091RC1Q027SBEA/4)/(GDP/4); "
        f"monthly AR(1) time-averaging conversion; primary-balance variance from a fiscal-year AR(1) on CBO "
        f"actuals ({n_fy} years), correlations from the VAR; excluded {excluded}"
    )
    std_q = dict(zip(data.columns, np.sqrt(np.diag(cov_q)).tolist(), strict=True))
    return ShockEstimate(
        chol=chol,
        covariance=chol @ chol.T,
        method=method,
        sample=_fmt_sample(resid.index),
        n_obs=len(resid),
        quarterly_residual_std=std_q,
    )


# -- pass-through ------------------------------------------------------------------------------------------------
def fit_line(y: pd.Series, x: pd.Series) -> LinearFit:
    """OLS of ``y`` on a constant and ``x`` over the months both observe.

    Parameters
    ----------
    y, x
        Monthly decimal rates indexed by month end.

    Returns
    -------
    LinearFit
        Coefficients, residual s.d. (``n − 2`` d.o.f.), R², n, sample and mean ``y − x``.
    """
    both = pd.concat([y.rename("y"), x.rename("x")], axis=1, join="inner").dropna()
    if len(both) < 3:
        raise DataError(f"only {len(both)} common months between {y.name} and {x.name}; cannot fit a line")
    design = np.column_stack([np.ones(len(both)), both["x"].to_numpy()])
    coef, *_ = np.linalg.lstsq(design, both["y"].to_numpy(), rcond=None)
    resid = both["y"].to_numpy() - design @ coef
    total = both["y"].to_numpy() - both["y"].mean()
    return LinearFit(
        intercept=float(coef[0]),
        slope=float(coef[1]),
        resid_std=float(np.sqrt(resid @ resid / (len(both) - 2))),
        r2=float(1.0 - (resid @ resid) / (total @ total)),
        n=len(both),
        sample=_fmt_sample(both.index),
        mean_spread=float((both["y"] - both["x"]).mean()),
    )


def estimate_pass_through(store: Store, *, start: str = "1990-01-01", end: str | None = None) -> PassThrough:
    """Level regressions of the 30-year mortgage rate and the Baa corporate yield on the 10-year Treasury yield.

    The monthly average of Freddie Mac's weekly 30-year fixed rate (MORTGAGE30US) and Moody's Baa yield (BAA,
    monthly) are each regressed on GS10 (monthly average of the 10-year constant-maturity yield) in levels over
    ``[start, end]``. Levels, not changes: the model needs the mapping from the level of the 10-year yield on a
    path to the level of private rates. The residuals are serially correlated, so the fit's standard errors would
    be too small and are not reported; the coefficients are consistent if the spread is stationary. Also returned:
    the mean mortgage − 10y spread over every month since April 1971, and the mean of FRED's daily BAA10Y over
    what the store holds (reference only).

    Parameters
    ----------
    store
        The observation store.
    start, end
        Regression window (month ends inside it).

    Returns
    -------
    PassThrough
        Both fits (decimal units) and the reference spreads.

    Raises
    ------
    geostress.errors.DataError
        A required series is missing from the store, or the window holds too few months.

    References
    ----------
    Freddie Mac Primary Mortgage Market Survey via FRED (MORTGAGE30US); Moody's via FRED (BAA, BAA10Y); Board of
    Governors H.15 via FRED (GS10). geostress CALIBRATION: "30y mortgage − 10y Treasury: mean ≈1.7 pp since
    1971".
    """
    frame = _require(store, PASS_THROUGH_SERIES, "the rate pass-through")
    mortgage = _monthly_mean(_series(frame, "fred.mortgage30us") / 100.0)
    gs10 = _monthly_mean(_series(frame, "fred.gs10") / 100.0)
    baa = _monthly_mean(_series(frame, "fred.baa") / 100.0)

    def window(s: pd.Series) -> pd.Series:
        s = s[s.index >= pd.Timestamp(start)]
        return s if end is None else s[s.index <= pd.Timestamp(end)]

    mortgage_fit = fit_line(window(mortgage), window(gs10))
    baa_fit = fit_line(window(baa), window(gs10))
    since_1971 = pd.concat([mortgage, gs10], axis=1, join="inner").dropna()
    spread_1971 = float((since_1971.iloc[:, 0] - since_1971.iloc[:, 1]).mean())
    baa10y_mean, baa10y_sample = float("nan"), ""
    if "fred.baa10y" in set(store.series_ids()):
        baa10y = _series(store.get("fred.baa10y"), "fred.baa10y") / 100.0
        baa10y_mean, baa10y_sample = float(baa10y.mean()), _fmt_sample(baa10y.index)
    return PassThrough(mortgage_fit, baa_fit, spread_1971, baa10y_mean, baa10y_sample)
