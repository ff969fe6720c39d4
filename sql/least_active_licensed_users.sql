-- Licensed, active users who used Zoom least in the synced days (a license review): meetings
-- hosted and attended, and minutes present; 0 means no meeting at all in those days.
WITH present AS (
    SELECT
        person_key AS id,
        count(*) AS meetings_attended,
        sum(attended_seconds) / 60.0 AS minutes
    FROM main.meeting_attendance
    WHERE person_kind = 'user_id'
    GROUP BY person_key
),
hosted AS (
    SELECT host_id, count(*) AS meetings_hosted
    FROM main.meeting_reports
    GROUP BY host_id
)
SELECT
    u.email,
    u.dept AS department,
    coalesce(h.meetings_hosted, 0) AS meetings_hosted,
    coalesce(p.meetings_attended, 0) AS meetings_attended,
    round(coalesce(p.minutes, 0), 1) AS minutes_present,
    u.last_login_time
FROM main.zoom_users AS u
LEFT JOIN hosted AS h ON h.host_id = u.id
LEFT JOIN present AS p ON p.id = u.id
WHERE u.status = 'active' AND u.type = 2
ORDER BY minutes_present, meetings_hosted, u.email
LIMIT 20;
