package main

import (
	"github.com/spf13/cobra"
)

const defaultDB = "placeteam.db"

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "placeteam",
		Short:         "Plan community care teams around places: boundaries, flows, profiles and hubs",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newImportCommand(), newCheckCommand(), newMoveCommand(), newOptimiseCommand(), newTokenCommand(), newAuditCommand(), newDemoCommand(), newInfoCommand(), newServeCommand(),
		newFlowsCommand(), newProfileCommand(), newCompareCommand(), newConfigCommand(), newSiteCommand(), newIndicatorsCommand(), newAssignCommand(), newCarryCommand())
	root.AddCommand(newManifestCommand())
	root.AddCommand(newExportCommand())
	root.AddCommand(newReportCommand())
	return root
}
