-- The ten hosts whose meetings ran longest in total (minutes of meeting time, not person-minutes).
SELECT
    coalesce(u.email, m.host_id) AS host,
    u.dept AS department,
    count(*) AS meetings,
    sum(m.duration)::BIGINT AS meeting_minutes,
    sum(m.total_minutes)::BIGINT AS person_minutes
FROM main.meeting_reports AS m
LEFT JOIN main.zoom_users AS u ON u.id = m.host_id
GROUP BY ALL
ORDER BY meeting_minutes DESC, host
LIMIT 10;
