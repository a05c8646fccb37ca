# The Cassandra dump of contrail's configuration database (prd1, 2018-06-25) that
# test.contrailLoadDatabase and test.gremlinDump load. It holds the output of
# `cqlsh -e "DESC SCHEMA"` (schema.cql) and, for obj_uuid_table and obj_fq_name_table,
# `COPY config_db_uuid.<table> TO 'config_db_uuid.<table>.csv'`, packed as a .tgz on Nexus.
{ fetchzip }:

fetchzip {
  name = "cassandra-dump";
  url = "http://nexus.int0.aub.cloudwatt.net/nexus/content/sites/nix/cassandra-dump-prd1-2018-06-25.tgz";
  sha256 = "0dp3jnbl8mlficrmavna699zsmf2369z5568lshhcxg3n60nrdm9";
  stripRoot = false;
}
