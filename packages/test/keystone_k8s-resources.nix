# What the keystone.k8s module (keystone_k8s.nix) provisions, as plain values of the cluster
# domain: the Keystone Deployments and Services, the openrc files, the catalog and projects, the
# provisioning script and what it adds to infra.k8s.
{ lib, cwLib }:

let
  inherit (cwLib.k8s) mkHTTPGetProbe mkJSONDeployment mkJSONService;
  password = "development";
  apiPort = 5000;
  adminApiPort = 35357;
  apiHost = "keystone-api.service";
  adminApiHost = "keystone-admin-api.service";

  deployment =
    service: port:
    mkJSONDeployment {
      application = "keystone";
      inherit service port;
      vaultPolicy = "keystone";
      containers = [
        {
          image = "r.cwpriv.net/keystone/all:9.0.0-61516ea9ed2202a1";
          lifecycle.preStop.exec.command = [ "/usr/sbin/stop-container" ];
          livenessProbe = mkHTTPGetProbe "/" 1988 10 30 15;
          readinessProbe = mkHTTPGetProbe "/ready" 1988 10 30 15;
          volumeMounts = [
            {
              name = "vault-token-keystone-keys";
              mountPath = "/run/vault-token-keystone-keys";
            }
          ];
        }
      ];
      volumes = [
        {
          name = "vault-token-keystone-keys";
          flexVolume = {
            driver = "cloudwatt/vaulttmpfs";
            options = {
              "vault/policies" = "fernet-keys-read";
              "vault/role" = "periodic-fernet-reader";
              "vault/filePermissions" = "640";
              "vault/unwrap" = "true";
            };
          };
        }
      ];
    };

  periodicFernetRole = allowed: {
    allowed_policies = allowed;
    explicit_max_ttl = 0;
    name = "periodic-fernet";
    orphan = true;
    period = 3600;
    renewable = true;
  };
in
{
  inherit
    password
    apiPort
    adminApiPort
    apiHost
    adminApiHost
    ;
  defaultRoles = [
    "admin"
    "Member"
  ];

  forDomain =
    domain:
    let
      region = builtins.head (lib.splitString "." domain);
      adminUrl = "http://${adminApiHost}.${domain}:${toString adminApiPort}/v2.0";
      publicUrl = "http://${apiHost}.${domain}:${toString apiPort}/v2.0";
    in
    {
      inherit region adminUrl;

      defaultCatalog = {
        identity = {
          name = "keystone";
          admin_url = adminUrl;
          internal_url = publicUrl;
          public_url = publicUrl;
        };
      };

      defaultProjects = {
        openstack = {
          users = {
            admin = {
              inherit password;
              roles = [ "admin" ];
            };
          };
        };
      };

      manifests = {
        "api.deployment.json" = deployment "api" apiPort;
        "admin-api.deployment.json" = deployment "admin-api" adminApiPort;
        "api.service.json" = mkJSONService {
          application = "keystone";
          service = "api";
        };
        "admin-api.service.json" = mkJSONService {
          application = "keystone";
          service = "admin-api";
        };
      };

      adminTokenOpenrc = ''
        export OS_URL=${adminUrl}
        export OS_TOKEN=${password}
      '';

      adminOpenrc = ''
        export OS_AUTH_TYPE=v2password
        export OS_AUTH_URL=${adminUrl}
        export OS_REGION_NAME=${region}
        export OS_PROJECT_NAME=openstack
        export OS_TENANT_NAME=openstack
        export OS_USERNAME=admin
        export OS_PASSWORD=${password}
        export OS_INTERFACE=admin
      '';

      # Runs after `kubectl apply`: waits for the admin API, then creates the catalog, the roles,
      # the projects and their users with the admin token.
      provision =
        {
          catalog,
          roles,
          projects,
        }:
        ''
          wait-for ${adminApiHost}:${toString adminApiPort} -q -t 300
          source /etc/openstack/admin-token.openrc
        ''
        + lib.concatMapStrings (
          type:
          let
            entry = catalog.${type};
          in
          ''
            openstack service create --description "${type} service" --name ${entry.name} ${type}
            openstack endpoint create --region ${region} --adminurl ${entry.admin_url} --internalurl ${entry.internal_url} --publicurl ${entry.public_url} ${type}
          ''
        ) (builtins.attrNames catalog)
        + lib.concatMapStrings (role: "openstack role create ${role}\n") roles
        + lib.concatMapStrings (
          project:
          let
            users = projects.${project}.users or { };
          in
          "openstack project create ${project}\n"
          + lib.concatMapStrings (
            user:
            "openstack user create --password '${users.${user}.password}' ${user}\n"
            + lib.concatMapStrings (role: "openstack role add --project ${project} --user ${user} ${role}\n") (
              users.${user}.roles or [ ]
            )
          ) (builtins.attrNames users)
        ) (builtins.attrNames projects);

      # What keystone.k8s adds to infra.k8s (the catalog key needs the final catalog).
      infra = catalog: {
        consulData."config/openstack/catalog/${region}/data" = catalog;
        vaultData = {
          "secret/keystone" = {
            admin_password = password;
            admin_token = password;
            db_password = password;
          };
          "secret/fernet-keys" = {
            creation_time = 1519801272;
            period = 61536000;
            keys = [
              "1tJnlk8E8KPcUoI0zdvm0Ya9g1EnEPovKiIDTOZtH6g="
              "GIqEyxCbcrNVbaFD6iHYmVR7ktZZyH7brYFrA8yv5H4="
              "QT811eEHXpLvprOiCgnI5DLddx_rA5xD7TDgx0cM_3A="
            ];
            ttl = "3600s";
          };
          "secret/openstack/users/deployment" = {
            project = "deployment";
            inherit password;
            email = "mco@cloudwatt.net";
            roles = [
              "Member"
              "admin"
            ];
          };
        };
        vaultRoles = {
          periodic-fernet-reader = periodicFernetRole "fernet-keys-read";
          periodic-fernet-writer = periodicFernetRole "fernet-keys-write";
        };
        vaultPolicies = {
          applications_token_creator = {
            "auth/token/create/periodic-fernet-reader".capabilities = [
              "create"
              "read"
              "update"
              "delete"
              "list"
            ];
            "auth/token/create/periodic-fernet-writer".capabilities = [
              "create"
              "read"
              "update"
              "delete"
              "list"
            ];
            "auth/token/roles/periodic-fernet-reader".capabilities = [ "read" ];
            "auth/token/roles/periodic-fernet-writer".capabilities = [ "read" ];
          };
          keystone = {
            "secret/keystone".policy = "read";
          };
          fernet-keys-read = {
            "secret/fernet-keys".capabilities = [
              "create"
              "read"
              "update"
              "delete"
              "list"
            ];
            "secret/locksmith/consul".policy = "read";
          };
          fernet-keys-write = {
            "secret/fernet-keys".policy = "write";
          };
        };
      };
    };
}
