-- The analysts' saved views (`thidua query NAME`). Recreated on every open, so they follow the schema.
-- Each row carries the article it comes from and the evidence text, so every figure can be audited.

-- the year an article is about: its (first) event's date, else its publication date
CREATE OR REPLACE VIEW article_year AS
SELECT a.article_id,
       coalesce(min(year(e.date)), year(a.published)) AS year
FROM articles a LEFT JOIN events e USING (article_id)
GROUP BY a.article_id, a.published;

-- Which agency led (or deputised) which bloc in which year, by province.
CREATE OR REPLACE VIEW bloc_leaders AS
SELECT a.province, a.province_current, r.year, r.role, r.holder, r.bloc,
       a.published, a.title, a.source, a.url, r.ev_text AS evidence
FROM bloc_roles r JOIN articles a USING (article_id)
ORDER BY a.province, r.year, r.role DESC, r.holder;

-- Awards by recipient / kind / authority / year / status.
CREATE OR REPLACE VIEW awards_by AS
SELECT a.province, a.province_current, w.year, w.kind, w.award_name, w.status, w.conferred_by, w.recipient,
       w.count, w.percent, coalesce(w.count, CASE WHEN w.recipient IS NOT NULL THEN 1 END) AS units,
       a.published, a.title, a.source, w.ev_text AS evidence
FROM awards w JOIN articles a USING (article_id)
ORDER BY a.province, w.year, w.kind, w.recipient;

-- Awards counted by year, kind and status (the spread across sectors over time).
CREATE OR REPLACE VIEW awards_per_year AS
SELECT coalesce(w.year, y.year) AS year, w.kind, w.status, count(*) AS records,
       sum(coalesce(w.count, 1)) FILTER (WHERE w.percent IS NULL) AS units
FROM awards w JOIN article_year y USING (article_id)
GROUP BY ALL ORDER BY year, kind, status;

-- Bloc membership by year: agencies named in a bloc's member list.
CREATE OR REPLACE VIEW bloc_memberships AS
SELECT DISTINCT a.province, y.year, g.member_of AS bloc, g.name AS agency
FROM agencies g JOIN articles a USING (article_id) JOIN article_year y USING (article_id)
WHERE g.member_of IS NOT NULL
ORDER BY a.province, y.year, bloc, agency;

-- An agency's history across years: mentions, roles held and awards received, with where its work
-- went in the 2025 restructuring of provincial departments.
CREATE OR REPLACE VIEW agency_history AS
WITH mentions AS (
    SELECT a.province, y.year, g.name AS agency, count(DISTINCT g.article_id) AS articles
    FROM agencies g JOIN articles a USING (article_id) JOIN article_year y USING (article_id)
    GROUP BY ALL
), roles AS (
    SELECT a.province, r.year, r.holder AS agency, string_agg(DISTINCT r.role, ', ') AS roles
    FROM bloc_roles r JOIN articles a USING (article_id) GROUP BY ALL
), received AS (
    SELECT a.province, coalesce(w.year, y.year) AS year, w.recipient AS agency,
           string_agg(DISTINCT w.kind || ' (' || w.status || ')', ', ') AS awards
    FROM awards w JOIN articles a USING (article_id) JOIN article_year y USING (article_id)
    WHERE w.recipient IS NOT NULL GROUP BY ALL
), lineage AS (
    SELECT old_name, string_agg(new_name, '; ' ORDER BY new_name) AS successors_2025
    FROM department_lineage WHERE old_name <> new_name GROUP BY old_name
)
SELECT coalesce(m.province, r.province, w.province) AS province,
       coalesce(m.year, r.year, w.year) AS year,
       coalesce(m.agency, r.agency, w.agency) AS agency,
       coalesce(m.articles, 0) AS articles, r.roles, w.awards, l.successors_2025
FROM mentions m
FULL JOIN roles r ON r.province IS NOT DISTINCT FROM m.province AND r.year IS NOT DISTINCT FROM m.year
                  AND r.agency = m.agency
FULL JOIN received w ON w.province IS NOT DISTINCT FROM coalesce(m.province, r.province)
                     AND w.year IS NOT DISTINCT FROM coalesce(m.year, r.year)
                     AND w.agency = coalesce(m.agency, r.agency)
LEFT JOIN lineage l ON l.old_name = coalesce(m.agency, r.agency, w.agency)
ORDER BY agency, province, year;

-- Provinces before and after the 1 July 2025 merger: articles naming each old province, and articles
-- about the unit it belongs to now (an analyst may ask by either name).
CREATE OR REPLACE VIEW provinces_2025 AS
SELECT p.province, p.province_current, p.unit_kind_current,
       (SELECT count(*) FROM articles a WHERE a.province = p.province) AS articles_as_named,
       (SELECT count(*) FROM articles a WHERE a.province_current = p.province_current) AS articles_in_current_unit
FROM provinces p ORDER BY p.province_current, p.province;

-- One line per article: what was found in it.
CREATE OR REPLACE VIEW article_summary AS
SELECT a.article_id, a.published, a.province, a.title, a.source,
       (SELECT count(*) FROM events e WHERE e.article_id = a.article_id) AS events,
       (SELECT count(*) FROM blocs b WHERE b.article_id = a.article_id) AS blocs,
       (SELECT count(*) FROM agencies g WHERE g.article_id = a.article_id) AS agencies,
       (SELECT count(*) FROM bloc_roles r WHERE r.article_id = a.article_id) AS bloc_roles,
       (SELECT count(*) FROM awards w WHERE w.article_id = a.article_id) AS awards,
       (SELECT count(*) FROM people p WHERE p.article_id = a.article_id) AS people,
       (SELECT count(*) FROM legal_refs l WHERE l.article_id = a.article_id) AS legal_refs
FROM articles a ORDER BY a.published, a.source;
