-- Creates the marketplace database, one schema per service and one login per service whose rights stop at its
-- own schema (it may create tables there — its migrations — and read and write them; nothing else).
-- Run by the db-init step with sqlcmd variables CATALOG_PASSWORD, RIGHTS_PASSWORD, PRICING_PASSWORD, SETTLEMENT_PASSWORD.
IF DB_ID(N'marketplace') IS NULL
    CREATE DATABASE marketplace;
GO
-- Reconciliation reads the ledger in one snapshot without blocking writers.
ALTER DATABASE marketplace SET ALLOW_SNAPSHOT_ISOLATION ON;
GO
USE marketplace;
GO
IF SCHEMA_ID(N'catalog') IS NULL EXEC (N'CREATE SCHEMA catalog');
GO
IF SCHEMA_ID(N'rights') IS NULL EXEC (N'CREATE SCHEMA rights');
GO
IF SCHEMA_ID(N'pricing') IS NULL EXEC (N'CREATE SCHEMA pricing');
GO
IF SCHEMA_ID(N'settlement') IS NULL EXEC (N'CREATE SCHEMA settlement');
GO
IF SUSER_ID(N'catalog_svc') IS NULL CREATE LOGIN catalog_svc WITH PASSWORD = N'$(CATALOG_PASSWORD)', CHECK_POLICY = ON;
IF USER_ID(N'catalog_svc') IS NULL CREATE USER catalog_svc FOR LOGIN catalog_svc WITH DEFAULT_SCHEMA = catalog;
GRANT CREATE TABLE TO catalog_svc;
GRANT ALTER, SELECT, INSERT, UPDATE, DELETE, REFERENCES ON SCHEMA::catalog TO catalog_svc;
GO
IF SUSER_ID(N'rights_svc') IS NULL CREATE LOGIN rights_svc WITH PASSWORD = N'$(RIGHTS_PASSWORD)', CHECK_POLICY = ON;
IF USER_ID(N'rights_svc') IS NULL CREATE USER rights_svc FOR LOGIN rights_svc WITH DEFAULT_SCHEMA = rights;
GRANT CREATE TABLE TO rights_svc;
GRANT ALTER, SELECT, INSERT, UPDATE, DELETE, REFERENCES ON SCHEMA::rights TO rights_svc;
GO
IF SUSER_ID(N'pricing_svc') IS NULL CREATE LOGIN pricing_svc WITH PASSWORD = N'$(PRICING_PASSWORD)', CHECK_POLICY = ON;
IF USER_ID(N'pricing_svc') IS NULL CREATE USER pricing_svc FOR LOGIN pricing_svc WITH DEFAULT_SCHEMA = pricing;
GRANT CREATE TABLE TO pricing_svc;
GRANT ALTER, SELECT, INSERT, UPDATE, DELETE, REFERENCES ON SCHEMA::pricing TO pricing_svc;
GO
IF SUSER_ID(N'settlement_svc') IS NULL CREATE LOGIN settlement_svc WITH PASSWORD = N'$(SETTLEMENT_PASSWORD)', CHECK_POLICY = ON;
IF USER_ID(N'settlement_svc') IS NULL CREATE USER settlement_svc FOR LOGIN settlement_svc WITH DEFAULT_SCHEMA = settlement;
GRANT CREATE TABLE TO settlement_svc;
GRANT ALTER, SELECT, INSERT, UPDATE, DELETE, REFERENCES ON SCHEMA::settlement TO settlement_svc;
GO
