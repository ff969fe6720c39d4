-- Meeting hours per department: hours of the meetings its members hosted, and hours its members
-- were present in any meeting (as host or participant, each person once per meeting). Users whose
-- department is empty in zoom_users are grouped under "(none)".
WITH hosted AS (
    SELECT
        coalesce(nullif(u.dept, ''), '(none)') AS department,
        count(*) AS meetings_hosted,
        sum(m.duration) / 60.0 AS hosted_hours
    FROM main.meeting_reports AS m
    LEFT JOIN main.zoom_users AS u ON u.id = m.host_id
    GROUP BY ALL
),
attended AS (
    SELECT
        coalesce(nullif(u.dept, ''), '(none)') AS department,
        sum(a.attended_seconds) / 3600.0 AS attended_hours
    FROM main.meeting_attendance AS a
    JOIN main.zoom_users AS u ON a.person_kind = 'user_id' AND u.id = a.person_key
    GROUP BY ALL
)
SELECT
    department,
    coalesce(h.meetings_hosted, 0) AS meetings_hosted,
    round(coalesce(h.hosted_hours, 0), 1) AS hosted_hours,
    round(coalesce(a.attended_hours, 0), 1) AS attended_hours
FROM hosted AS h
FULL JOIN attended AS a USING (department)
ORDER BY hosted_hours DESC, department;
