DROP TABLE traffic_alerts;
DROP TABLE traffic_minutes;
DROP TABLE traffic_logs;
